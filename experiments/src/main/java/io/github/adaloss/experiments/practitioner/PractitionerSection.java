package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.RunRecord;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The practitioner suite as a section of the main job (issue 11): six DL4J configurations as published in DL4J's
 * examples, each trained with its own updater, with AdaLoss / AdaGrad-Norm / AdamLoss at their defaults, over b0 and
 * eta, and with Adam and SGD over their grids. Default run: the short budgets, one seed ({@code --seed}), and a
 * reduced grid (published, defaults, b0 at both ends) on the heavy configurations (LeNet, ResNet, LSTM). With
 * {@code --full}: the full budgets, the full grid everywhere, seeds {@code --seed} and {@code --seed + 1}. The
 * Fashion-MNIST configurations are left out when {@code --data} holds no Fashion-MNIST.
 */
public final class PractitionerSection implements Section {

    /** Section id. */
    public static final String ID = "practitioner";

    /** Estimated seconds of one run on an idle 2-core machine at the short budget, per configuration. */
    private static final Map<String, Double> SECONDS_PER_RUN = Map.of("mlp", 0.7, "lenet", 2.5, "lstm", 5.0,
            "regression", 0.3, "resnet", 2.5, "transfer", 0.5);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Practitioner suite: DL4J's own example configurations with the AdaLoss family";
    }

    @Override
    public Work plannedWork(Options options) {
        int steps = 0;
        double seconds = 0;
        for (Workload w : Workloads.create(options.full(), options.data(), List.of())) {
            int n = OptimizerGrid.table(w.publishedUpdater(), !options.full() && w.heavy()).size()
                    * seeds(options).size();
            steps += n;
            seconds += n * SECONDS_PER_RUN.getOrDefault(w.id(), 1.0) * (options.full() ? 3 : 1);
        }
        return new Work(steps, seconds);
    }

    static List<Long> seeds(Options options) {
        return options.full() ? List.of(options.seed(), options.seed() + 1) : List.of(options.seed());
    }

    @Override
    public SectionResult run(SectionContext context) throws IOException {
        Options options = context.options();
        List<Workload> workloads = Workloads.create(options.full(), options.data(), List.of());
        List<PracticeRun> runs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Workload w : workloads) {
            sources.add(w.id() + ": " + w.source());
            for (long seed : seeds(options)) {
                Workload.Data data = w.data(seed);
                for (OptimizerSpec s : OptimizerGrid.table(w.publishedUpdater(), !options.full() && w.heavy())) {
                    runs.add(Runner.run(w, data, s, seed));
                    context.progress().step(w.id() + " " + s.label());
                }
            }
        }
        return new Result(runs, sources, workloads.size() < Workloads.ids(options.full() ? Workloads.Scale.FULL
                : Workloads.Scale.SHORT).size());
    }

    /** The section's result: the runs, their verdicts and the report part. */
    static final class Result implements SectionResult {
        private final List<PracticeRun> runs;
        private final List<String> sources;
        private final boolean partial;

        Result(List<PracticeRun> runs, List<String> sources, boolean partial) {
            this.runs = List.copyOf(runs);
            this.sources = List.copyOf(sources);
            this.partial = partial;
        }

        @Override
        public List<Claim> claims() {
            List<Claim> out = new ArrayList<>();
            // the suite's own budgets (10-500 updates, 1-2 seeds, test sets of 150-2,000) carry no verdict: its
            // goals are reported as a smoke test; the verdicts come from the realistic benchmark's committed runs
            List<String> smoke = new ArrayList<>();
            for (Verdict v : PractitionerClaims.evaluate(runs)) {
                smoke.add((v.holds() ? "[would hold] " : "[would fail] ") + v.text());
            }
            out.add(Claim.caveat("Smoke test only: the suite's budgets here (10-500 updates, " + seeds(runs)
                    + " seed(s), small test sets) carry no verdict; the goals below are judged on the realistic "
                    + "benchmark's committed runs", Map.of("smoke-test goals (no verdict)", smoke)));
            List<PracticeRun> bench = BenchmarkRuns.committed();
            for (BenchmarkAnalysis.Goal g : BenchmarkAnalysis.goals(bench)) {
                String text = "Realistic benchmark, " + g.workload() + ": " + g.text();
                Map<String, Object> ev = Map.of("evidence", g.evidence());
                boolean paper = g.paper();
                if (g.verdict() == BenchmarkAnalysis.Verdict.INCONCLUSIVE) {
                    String t = text + " (inconclusive: the interval straddles the tolerance)";
                    out.add(paper ? Claim.paperCaveat(t, ev) : Claim.caveat(t, ev));
                } else {
                    boolean holds = g.verdict() == BenchmarkAnalysis.Verdict.HOLDS;
                    out.add(paper ? Claim.paper(text, holds, ev) : Claim.check(text, holds, ev));
                }
            }
            if (partial) {
                out.add(Claim.caveat("Fashion-MNIST was not found: only the LSTM and regression configurations ran",
                        Map.of("configurations", runs.stream().map(PracticeRun::workload).distinct().toList())));
            }
            return out;
        }

        private static long seeds(List<PracticeRun> runs) {
            return runs.stream().mapToLong(PracticeRun::seed).distinct().count();
        }

        @Override
        public List<RunRecord> runs() {
            List<RunRecord> out = new ArrayList<>();
            for (PracticeRun r : runs) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put(r.regression() ? "relative error" : "accuracy", r.metric());
                m.put("eta", r.eta());
                m.put("b0", r.b0());
                m.put("initial loss", r.initialLoss());
                m.put("final loss", r.finalLoss());
                m.put("final b", r.finalB());
                m.put("recoveries", (double) r.recoveries());
                m.put("seconds", r.seconds());
                String status = r.crashed() ? "crashed: " + r.error() : r.status() + (r.lossDecreased() ? ""
                        : ", loss did not decrease");
                out.add(new RunRecord(ID, r.workload() + " " + r.family(), r.parameter(), r.value(), r.seed(),
                        status, m));
            }
            return out;
        }

        @Override
        public void writeReport(ReportContext report) throws IOException {
            report.paragraph("Each configuration is taken from DL4J's own examples (architecture, initialization, "
                    + "regularization, batch size and its updater as the baseline); only the budget is changed. Same "
                    + "seed, same initial parameters and same mini-batch order for every optimizer. Metric: test "
                    + "accuracy, or test RMSE / standard deviation of the targets for the regression.");
            for (String s : sources) {
                report.paragraph(s);
            }
            report.paragraph("Metric against b0 at each family's default eta (the paper's table), next to the "
                    + "published updater; * marks a run that ended in an exception.");
            report.table(PractitionerReport.b0Header(), PractitionerReport.b0Rows(runs));
            List<List<String>> eta = PractitionerReport.etaRows(runs);
            if (!eta.isEmpty()) {
                report.paragraph("Metric against eta (multiples of the default, default b0).");
                report.table(PractitionerReport.etaHeader(), eta);
            }
            List<List<String>> contrast = PractitionerReport.contrastRows(runs);
            if (!contrast.isEmpty()) {
                report.paragraph("Adam and SGD over their usual learning-rate grids, for contrast.");
                report.table(PractitionerReport.contrastHeader(), contrast);
            }
            report.table(PractitionerReport.secondsHeader(), PractitionerReport.secondsRows(runs));
            List<PracticeRun> bench = BenchmarkRuns.committed();
            if (!bench.isEmpty()) {
                report.paragraph("Realistic benchmark (issue 19; committed runs, not computed by this run; command "
                        + "and machine time in docs/benchmark.md): published budgets, or one full epoch of a stated "
                        + "subset, on full test sets, seeds " + BenchmarkRuns.seeds(bench) + ". The paper's b0 table "
                        + "per configuration; SGD-Constant steps eta/b0 and SGD-DecaySqrt eta/sqrt(b0^2 + t), at "
                        + "AdaLoss' default eta 1; AdamLoss at its default eta 0.01; a number in brackets is the "
                        + "count of seeds where fewer than 5 have run.");
                report.paragraph("Summary: each configuration's published updater and the AdaLoss family at its "
                        + "defaults (mean ± std over seeds), AdaLoss minus the published updater as a paired difference "
                        + "with its 95% interval (points of accuracy, or the change of the test error), and the spread "
                        + "of the means over b0.");
                report.table(BenchmarkAnalysis.SUMMARY_HEADER, BenchmarkAnalysis.summaryRows(bench));
                for (String w : BenchmarkAnalysis.workloads(bench)) {
                    report.paragraph(BenchmarkAnalysis.caption(bench, w));
                    report.table(BenchmarkAnalysis.b0Header(), BenchmarkAnalysis.b0Rows(bench, w));
                }
                report.paragraph("Goals judged on paired differences over seeds (same initialization and batch "
                        + "order), 95% Student-t intervals: HOLDS when the whole interval is inside the tolerance, "
                        + "FAILS when it is wholly outside, INCONCLUSIVE otherwise.");
                report.table(BenchmarkAnalysis.GOAL_HEADER, BenchmarkAnalysis.goalRows(bench));
                report.csv("benchmark-runs.csv", RunCsv.text(bench));
            }
            List<PracticeRun> tuning = BenchmarkRuns.tuning();
            if (!tuning.isEmpty()) {
                report.paragraph("Defaults from evidence (issue 19, item 4): the same budgets on tuning seeds "
                        + BenchmarkRuns.seeds(tuning) + ", disjoint from the reported ones. Regret of a setting on a "
                        + "configuration: its shortfall from the family's best setting there, in units of the drop-in "
                        + "tolerance (2 points of accuracy, or 10% of test error); the default should have the smallest "
                        + "worst regret.");
                for (BenchmarkAnalysis.TuningTable t : BenchmarkAnalysis.tuningTables(tuning)) {
                    report.table(t.header(), t.rows());
                    if (!t.finding().isEmpty()) {
                        report.paragraph(t.finding());
                    }
                }
                report.csv("benchmark-tuning-runs.csv", RunCsv.text(tuning));
            }
            for (String w : PractitionerReport.workloads(runs)) {
                report.chart(ID + "-" + w, PractitionerReport.b0Chart(runs, w), w + ": metric against b0 for "
                        + "each AdaLoss-family optimizer at its default eta; the flat line is the published updater.");
            }
            report.csv(ID + "-runs.csv", RunCsv.text(runs));
            report.json(PractitionerReport.json(runs));
        }

        @Override
        public String consoleSummary() {
            long crashed = runs.stream().filter(PracticeRun::crashed).count();
            return runs.size() + " runs on " + runs.stream().map(PracticeRun::workload).distinct().count()
                    + " configurations, " + crashed + " crashed";
        }
    }
}
