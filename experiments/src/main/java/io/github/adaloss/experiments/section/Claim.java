package io.github.adaloss.experiments.section;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One claim checked on the numbers of a run: either a claim of one of the seed papers ({@link Kind#PAPER}) or one of
 * the project's own goals ({@link Kind#GOAL}, e.g. "within 3x of tuned Adam"); the report counts the two apart.
 *
 * @param kind     {@link Kind#PAPER} or {@link Kind#GOAL}
 * @param status   {@link Status#PASS}, {@link Status#FAIL} or {@link Status#CAVEAT}
 * @param text     the claim, one sentence
 * @param evidence the numbers behind the verdict, by name, in display order; values are numbers, strings, booleans,
 *                 lists or maps of those (serialized as is into {@code summary.json}, rounded for reading in the
 *                 report and on the console)
 */
public record Claim(Kind kind, Status status, String text, Map<String, Object> evidence) {

    /** Whose claim it is. */
    public enum Kind {
        /** A result of one of the seed papers, tested on the papers' own terms. */
        PAPER,
        /** One of the project's own goals (engineering targets, comparisons the papers do not make). */
        GOAL
    }

    /** The verdict of a claim. */
    public enum Status {
        /** It holds on these numbers. */
        PASS,
        /** It does not hold on these numbers. */
        FAIL,
        /**
         * A limitation of the experiment rather than a result of the paper (e.g. "this comparison does not test the
         * noise mechanism"); counted apart, never as a pass.
         */
        CAVEAT
    }

    /** Validates and copies. */
    public Claim {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be blank, got '" + text + "'");
        }
        evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /**
     * A project goal.
     *
     * @param status   the verdict
     * @param text     the claim
     * @param evidence the numbers, by name
     */
    public Claim(Status status, String text, Map<String, Object> evidence) {
        this(Kind.GOAL, status, text, evidence);
    }

    /**
     * A project goal with a free-text evidence (kept under the key {@code "detail"}).
     *
     * @param text     the claim
     * @param holds    whether it holds
     * @param evidence the numbers behind the verdict, as text
     */
    public Claim(String text, boolean holds, String evidence) {
        this(holds ? Status.PASS : Status.FAIL, text, Map.of("detail", evidence));
    }

    /**
     * @param text     the goal
     * @param holds    whether it holds
     * @param evidence the numbers, by name
     * @return a PASS or FAIL project goal
     */
    public static Claim check(String text, boolean holds, Map<String, Object> evidence) {
        return new Claim(holds ? Status.PASS : Status.FAIL, text, evidence);
    }

    /**
     * @param text     the limitation
     * @param evidence the numbers that show it
     * @return a CAVEAT (of a project goal)
     */
    public static Claim caveat(String text, Map<String, Object> evidence) {
        return new Claim(Status.CAVEAT, text, evidence);
    }

    /**
     * @param text     a seed paper's claim, saying what was measured
     * @param holds    whether it holds
     * @param evidence the numbers, by name
     * @return a PASS or FAIL paper claim
     */
    public static Claim paper(String text, boolean holds, Map<String, Object> evidence) {
        return new Claim(Kind.PAPER, holds ? Status.PASS : Status.FAIL, text, evidence);
    }

    /**
     * @param text     a seed paper's claim
     * @param holds    whether it holds
     * @param evidence the numbers behind the verdict, as text (kept under {@code "detail"})
     * @return a PASS or FAIL paper claim
     */
    public static Claim paper(String text, boolean holds, String evidence) {
        return paper(text, holds, Map.of("detail", evidence));
    }

    /**
     * @param text     a limitation of the test of a paper's claim
     * @param evidence the numbers that show it
     * @return a CAVEAT attached to the papers' claims
     */
    public static Claim paperCaveat(String text, Map<String, Object> evidence) {
        return new Claim(Kind.PAPER, Status.CAVEAT, text, evidence);
    }

    /** @return true unless the status is {@link Status#FAIL} */
    public boolean holds() {
        return status != Status.FAIL;
    }
}
