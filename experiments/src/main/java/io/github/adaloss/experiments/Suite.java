package io.github.adaloss.experiments;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.cli.UsageException;
import io.github.adaloss.experiments.linear.LinearRegressionSection;
import io.github.adaloss.experiments.overparam.OverparamSection;
import io.github.adaloss.experiments.practitioner.PractitionerSection;
import io.github.adaloss.experiments.realdata.FashionMnistSection;
import io.github.adaloss.experiments.realdata.IrisSection;
import io.github.adaloss.experiments.report.SectionOutcome;
import io.github.adaloss.experiments.run.Progress;
import io.github.adaloss.experiments.saddle.SaddleControlSection;
import io.github.adaloss.experiments.saddle.SaddleSection;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import io.github.adaloss.experiments.synthetic.MomentumSection;
import io.github.adaloss.experiments.synthetic.RobustnessSection;
import io.github.adaloss.experiments.synthetic.WidthTransitionSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** The main job's sections, in report order, and how they are selected and run. */
public final class Suite {

    /** Every section of the main job, in run and report order. A new section is one line here. */
    public static final List<Section> SECTIONS = List.of(
            new RobustnessSection(),
            new WidthTransitionSection(),
            new MomentumSection(),
            new LinearRegressionSection(),
            new IrisSection(),
            new FashionMnistSection(),
            new PractitionerSection(),
            new OverparamSection(),
            new SaddleSection(),
            new SaddleControlSection());

    private Suite() {
    }

    /** @return the ids of {@link #SECTIONS} */
    public static List<String> ids() {
        return SECTIONS.stream().map(Section::id).toList();
    }

    /**
     * @param o the options
     * @return the sections to run: those {@code --only} / {@code --skip} select, plus the sections they require
     *         (unless skipped explicitly), in suite order
     * @throws UsageException if {@code --only} or {@code --skip} names an unknown section
     */
    public static List<Section> select(Options o) {
        List<String> ids = ids();
        for (String id : o.only()) {
            if (!ids.contains(id)) {
                throw new UsageException("--only: unknown section '" + id + "' (sections: " + String.join(",", ids)
                        + ")");
            }
        }
        for (String id : o.skip()) {
            if (!ids.contains(id)) {
                throw new UsageException("--skip: unknown section '" + id + "' (sections: " + String.join(",", ids)
                        + ")");
            }
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (Section s : SECTIONS) {
            if (o.selects(s.id())) {
                chosen.add(s.id());
            }
        }
        boolean added = true;
        while (added) {
            added = false;
            for (Section s : SECTIONS) {
                if (chosen.contains(s.id())) {
                    for (String r : s.requires()) {
                        if (!o.skip().contains(r) && chosen.add(r)) {
                            added = true;
                        }
                    }
                }
            }
        }
        return SECTIONS.stream().filter(s -> chosen.contains(s.id())).toList();
    }

    /** @return the planned work of the given sections for these options, in seconds */
    public static double plannedSeconds(List<Section> sections, Options o) {
        return sections.stream().mapToDouble(s -> s.plannedWork(o).seconds()).sum();
    }

    /**
     * Runs the selected sections in suite order.
     *
     * @param o        options
     * @param selected the sections to run (see {@link #select})
     * @param progress progress (see {@link Progress#silent()})
     * @param done     called after each section with its outcome (may be null)
     * @return one outcome per section of {@link #SECTIONS}, run or not
     * @throws Exception if a section fails
     */
    public static List<SectionOutcome> run(Options o, List<Section> selected, Progress progress,
                                           Consumer<SectionOutcome> done) throws Exception {
        Map<String, SectionResult> results = new LinkedHashMap<>();
        SectionContext context = new SectionContext() {
            @Override
            public Options options() {
                return o;
            }

            @Override
            public Progress progress() {
                return progress;
            }

            @Override
            public <T extends SectionResult> Optional<T> result(String sectionId, Class<T> type) {
                return Optional.ofNullable(results.get(sectionId)).map(type::cast);
            }
        };
        List<SectionOutcome> outcomes = new ArrayList<>();
        for (Section s : SECTIONS) {
            SectionOutcome outcome;
            if (!selected.contains(s)) {
                outcome = new SectionOutcome(s.id(), s.title(), null, 0, "not selected (--only / --skip)");
            } else if (!s.requires().stream().allMatch(results::containsKey)) {
                outcome = new SectionOutcome(s.id(), s.title(), null, 0, "needs section(s) "
                        + String.join(", ", s.requires()) + ", which did not run");
            } else {
                Work w = s.plannedWork(o);
                progress.section(s.id(), w.steps(), w.seconds());
                long start = System.nanoTime();
                SectionResult r = s.run(context);
                results.put(s.id(), r);
                outcome = new SectionOutcome(s.id(), s.title(), r, (System.nanoTime() - start) / 1e9, null);
                progress.finishLine();
            }
            outcomes.add(outcome);
            if (done != null && outcome.result() != null) {
                done.accept(outcome);
            }
        }
        return outcomes;
    }
}
