package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.Html;
import io.github.adaloss.experiments.report.RunTables;
import io.github.adaloss.experiments.report.Series;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.run.RunResult;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.RunRecord;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;

/** Section "robustness": the step-size robustness sweep and the NTK during its AdaLoss runs. */
public final class RobustnessSection implements Section {

    /** The section id. */
    public static final String ID = "robustness";
    /** Measured seconds of the default run (widths 100, 1000, 4000; 500 iterations), for the progress weights. */
    private static final double DEFAULT_SECONDS = 98;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Step-size robustness and the NTK (AdaLoss)";
    }

    @Override
    public Work plannedWork(Options o) {
        double widthSum = 0;
        for (int w : o.widths()) {
            widthSum += w + 200;
        }
        return new Work(RobustnessExperiment.runCount(o), DEFAULT_SECONDS * widthSum / 5700.0 * o.iterations()
                / 500.0 * o.n() / 100.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        Options o = context.options();
        SyntheticProblem problem = new SyntheticProblem(o);
        NtkExperiment.Recorder recorder = new NtkExperiment.Recorder(o, problem);
        RobustnessExperiment.Sweep sweep = RobustnessExperiment.run(o, problem, context.progress(), recorder);
        return new Result(o, sweep, recorder.runs());
    }

    /**
     * The sweep and its NTK histories.
     *
     * @param options the options
     * @param sweep   every run of the sweep and the kernel of every width
     * @param ntk     the AdaLoss runs watched by the NTK listener
     */
    public record Result(Options options, RobustnessExperiment.Sweep sweep, List<NtkExperiment.NtkRun> ntk)
            implements SectionResult {

        /** @return every run of the sweep */
        public List<RunResult> robustness() {
            return sweep.runs();
        }

        @Override
        public List<Claim> claims() {
            return List.of(RobustnessClaims.adaLossReachesTarget(sweep, options.n(), options.iterations()),
                    SyntheticClaims.widestNetStaysLazy(ntk),
                    RobustnessClaims.adaLossWithinFactorOfTunedGd(sweep, options.n(), options.iterations()),
                    RobustnessClaims.adaLossWithinFactorOfTunedAdam(sweep, options.n(), options.iterations()));
        }

        @Override
        public List<RunRecord> runs() {
            return RunTables.lossRecords(ID, robustness());
        }

        @Override
        public String consoleSummary() {
            List<RunResult> robustness = robustness();
            long reached = robustness.stream().filter(RunResult::reachedTarget).count();
            return robustness.size() + " runs, " + reached + " reach the target";
        }

        private int widest() {
            int w = 0;
            for (int x : options.widths()) {
                w = Math.max(w, x);
            }
            return w;
        }

        @Override
        public void writeReport(ReportContext r) throws IOException {
            int widest = widest();
            List<RunResult> robustness = robustness();
            r.html("<p>Two-layer ReLU network f(x) = (1/sqrt m) sum_r a_r relu(w_r.x), inputs on the unit sphere, "
                    + "labels N(0,1), objective 1/2 sum (f - y)^2, full batch, " + options.iterations()
                    + " iterations at most (a run stops once its loss is " + Formats.number(RunResult.EARLY_STOP)
                    + " of the initial one). AdaLoss and AdaGrad-Norm use, at each width, one learning rate for every "
                    + "b0, derived from the kernel at initialization before any run: eta = " + Formats.number(
                    Grids.RHO_MAX) + " x (2/lambda_max(H(0))) x sqrt(" + Formats.number(Grids.B0_MIN)
                    + "^2 + l_0) (alpha = 1), and b0 is chosen so that AdaLoss's first step eta/sqrt(b0^2 + l_0) is "
                    + Html.escape(java.util.Arrays.toString(Grids.FIRST_STEP_MULTIPLES)) + " times the edge "
                    + "2/lambda_max(H(0)): the grid crosses the edge, from the side where b must grow to the slow side "
                    + "where it cannot help. GD and Adam sweep their learning rate. Target: relative loss L(t)/L(0) &lt;= "
                    + Formats.number(RunResult.TARGET) + " (dashed line). The claim is made for over-parameterized "
                    + "widths (m &gt;= " + RobustnessClaims.OVERPARAMETERIZED + " n); narrower networks are a control "
                    + "the theory does not cover. Read the loss charts from top to bottom: a curve that leaves the "
                    + "chart upwards diverged, a curve that flattens stalled, a straight descending line is linear "
                    + "convergence.</p>\n");
            r.html(firstStepSentence());
            r.csv("robustness.csv", RunTables.curvesCsv(robustness));
            XYChart summary = summaryChart();
            r.chart("robustness-summary", summary, "Final relative loss of every run against its hyperparameter; "
                    + "colour = optimizer, line style = width; diverged runs drawn at 1e3");
            for (String opt : List.of("AdaLoss", "AdaGradNorm", "GD", "Adam")) {
                List<RunResult> shown = robustness.stream().filter(x -> x.optimizer().equals(opt)
                        && x.width() == widest).toList();
                List<Series> lines = shown.stream().map(x -> Series.indexed(x.parameter() + "="
                        + Formats.number(x.value()) + (x.diverged() ? " (diverged)" : ""),
                        RunTables.relative(x.loss()))).toList();
                String title = opt + (opt.startsWith("AdaGrad") || opt.equals("AdaLoss") ? " (eta="
                        + Formats.number(Grids.adaptiveEta(sweep.kernels().get(widest))) + ")" : "") + ", width "
                        + widest
                        + ": relative training loss";
                XYChart chart = Charts.lines(title, "iteration", "L(t) / L(0)", true, lines);
                Charts.threshold(chart, "target " + Formats.number(RunResult.TARGET), RunResult.TARGET);
                r.chart("robustness-" + opt.toLowerCase(), chart, opt + " over its " + shown.get(0).parameter()
                        + " grid, width " + widest + ": " + reachedText(shown));
            }
            List<Series> bLines = new ArrayList<>();
            for (RunResult x : robustness()) {
                if (x.width() == widest && (x.optimizer().equals("AdaLoss") || x.optimizer().equals("AdaGradNorm"))) {
                    bLines.add(Series.indexed(x.optimizer() + " b0=" + Formats.number(x.value()), x.b()));
                }
            }
            r.chart("b-curves", Charts.lines("Accumulator b_t, width " + widest, "iteration", "b_t", true, bLines),
                    "b_t of AdaLoss and AdaGrad-Norm for every b0, width " + widest + ": " + growthText(widest));
            writeNtk(r, widest);
            r.json(json());
        }

        /** @return per width: eta, the edge, the b0 range, where GD diverges and what the slow side did */
        private String firstStepSentence() {
            StringBuilder h = new StringBuilder("<p>");
            for (int w : options.widths()) {
                KernelAtInit k = sweep.kernels().get(w);
                double[] b0 = Grids.b0(k);
                List<RunResult> gd = robustness().stream().filter(x -> x.optimizer().equals("GD") && x.width() == w)
                        .toList();
                double divergesFrom = gd.stream().filter(RunResult::diverged).mapToDouble(RunResult::value).min()
                        .orElse(Double.NaN);
                double stableUpTo = gd.stream().filter(x -> !x.diverged()).mapToDouble(RunResult::value).max()
                        .orElse(Double.NaN);
                List<Double> claimed = RobustnessClaims.claimedMultiples(k, options.iterations());
                List<String> slow = new ArrayList<>();
                for (RunResult x : robustness()) {
                    if (x.optimizer().equals("AdaLoss") && x.width() == w) {
                        double rho = Grids.firstStepMultiple(k, x.value());
                        if (claimed.stream().noneMatch(c -> Math.abs(c / rho - 1) < 1e-9)) {
                            slow.add(Formats.number(rho) + "x: " + x.status() + " (L(T)/L(0) = "
                                    + Formats.number(x.finalLoss() / x.loss()[0]) + ")");
                        }
                    }
                }
                h.append("Width ").append(w).append(": edge 2/lambda_max(H(0)) = ").append(Formats.number(k.edge()))
                        .append(", l_0 = ").append(Formats.number(k.initialLoss())).append(", eta = ")
                        .append(Formats.number(Grids.adaptiveEta(k))).append(", b0 from ")
                        .append(Formats.number(b0[0])).append(" to ").append(Formats.number(b0[b0.length - 1]))
                        .append(". GD converges or stalls up to ").append(Formats.number(stableUpTo / k.edge()))
                        .append(" x the edge and diverges from ").append(Formats.number(divergesFrom / k.edge()))
                        .append(" x the edge on (AdaLoss's largest first step is ")
                        .append(Formats.number(Grids.RHO_MAX)).append(" x). Slow side (first step below the edge, ")
                        .append("not claimed): ").append(slow.isEmpty() ? "none" : Html.escape(String.join("; ", slow)))
                        .append(".<br>");
            }
            return h.append("</p>\n").toString();
        }

        private static String reachedText(List<RunResult> runs) {
            List<String> reached = runs.stream().filter(RunResult::reachedTarget)
                    .map(x -> Formats.number(x.value())).toList();
            long diverged = runs.stream().filter(RunResult::diverged).count();
            String p = runs.isEmpty() ? "" : runs.get(0).parameter();
            return reached.size() + " of " + runs.size() + " runs reach the target"
                    + (reached.isEmpty() ? "" : " (" + p + " = " + String.join(", ", reached) + ")")
                    + (diverged > 0 ? ", " + diverged + " diverge" : "");
        }

        private String growthText(int widest) {
            List<String> parts = new ArrayList<>();
            for (String opt : List.of("AdaLoss", "AdaGradNorm")) {
                List<RunResult> l = robustness().stream().filter(x -> x.optimizer().equals(opt) && x.width() == widest)
                        .toList();
                if (l.isEmpty()) {
                    continue;
                }
                double lo = Double.POSITIVE_INFINITY;
                double hi = 0;
                for (RunResult x : l) {
                    double g = x.finalB() / x.b()[0];
                    lo = Math.min(lo, g);
                    hi = Math.max(hi, g);
                }
                parts.add(opt + " b_T/b_0 from " + Formats.number(lo) + " to " + Formats.number(hi));
            }
            return String.join("; ", parts);
        }

        private XYChart summaryChart() {
            List<Series> finals = new ArrayList<>();
            List<String> optimizers = List.of("AdaLoss", "AdaGradNorm", "GD", "Adam");
            for (String opt : optimizers) {
                int variant = 0;
                for (int w : options.widths()) {
                    List<RunResult> runs = robustness().stream().filter(x -> x.optimizer().equals(opt)
                            && x.width() == w).toList();
                    double[] xs = runs.stream().mapToDouble(RunResult::value).toArray();
                    double[] ys = runs.stream().mapToDouble(x -> x.diverged() ? 1e3 : Math.max(1e-30,
                            x.finalLoss() / x.loss()[0])).toArray();
                    finals.add(new Series(opt + " m=" + w, xs, ys, opt, variant++));
                }
            }
            XYChart chart = Charts.lines("Final relative loss vs b0 (AdaLoss, AdaGrad-Norm) or learning rate (GD, Adam)",
                    "b0 or learning rate", "L(T) / L(0)", true, true, finals);
            Charts.threshold(chart, "target " + Formats.number(RunResult.TARGET), RunResult.TARGET);
            return chart;
        }

        private void writeNtk(ReportContext r, int widest) throws IOException {
            StringBuilder csv = new StringBuilder("width,b0,lambda_0," + NtkSnapshot.CSV_HEADER + "\n");
            for (NtkExperiment.NtkRun run : ntk) {
                for (NtkSnapshot s : run.snapshots()) {
                    csv.append(run.run().width()).append(',').append(run.run().value()).append(',')
                            .append(run.lambda0()).append(',').append(s.csvRow()).append('\n');
                }
            }
            r.html("<h3>The NTK during training</h3>\n<p>lambda_0 = lambda_min(Hinf) of the training inputs. The "
                    + "listener watches the AdaLoss runs whose first step is " + Formats.number(NtkExperiment.LAZY_RHO)
                    + " x the edge at every width and, at the widest, " + Formats.number(NtkExperiment.SMALL_RHO)
                    + " x the edge. "
                    + Html.escape(ntkSentence()) + "</p>\n");
            r.csv("ntk-spectrum.csv", csv.toString());
            List<Series> lambda = new ArrayList<>();
            List<Series> drift = new ArrayList<>();
            List<Series> step = new ArrayList<>();
            for (NtkExperiment.NtkRun run : ntk) {
                String name = "m=" + run.run().width() + " b0=" + Formats.number(run.run().value());
                double[] it = run.snapshots().stream().mapToDouble(NtkSnapshot::iteration).toArray();
                lambda.add(new Series(name, it, run.snapshots().stream().mapToDouble(s -> s.lambdaMin() / run.lambda0())
                        .toArray()));
                drift.add(new Series(name, it, run.snapshots().stream().mapToDouble(NtkSnapshot::kernelDrift)
                        .toArray()));
                if (run.run().width() == widest) {
                    step.add(new Series("eta/b_t, b0=" + Formats.number(run.run().value()), it,
                            run.snapshots().stream().mapToDouble(NtkSnapshot::stepSize).toArray()));
                    step.add(new Series("2/lambda_max(H(t)), b0=" + Formats.number(run.run().value()), it,
                            run.snapshots().stream().mapToDouble(NtkSnapshot::stabilityEdge).toArray()));
                }
            }
            XYChart lambdaChart = Charts.lines("lambda_min(H(t)) / lambda_0 during AdaLoss training", "iteration",
                    "lambda_min(H(t)) / lambda_0", false, lambda);
            Charts.threshold(lambdaChart, "1/2 (claim)", 0.5);
            r.chart("ntk-lambda-min", lambdaChart, "lambda_min(H(t)) / lambda_0 per width");
            r.chart("ntk-drift", Charts.lines("Kernel drift ||H(t) - H(0)||_F / ||H(0)||_F", "iteration",
                    "relative drift", false, drift), "Relative kernel drift per width");
            r.chart("ntk-step", Charts.lines("Effective step eta/b_t vs gradient-descent stability edge, width "
                    + widest, "iteration", "step size", true, step), "AdaLoss step eta/b_t (b_t of the snapshot's "
                    + "iteration) and the edge 2/lambda_max(H(t)), width " + widest);
        }

        /** @return the final drift per watched run and where the last step stands against the edge */
        private String ntkSentence() {
            List<String> drift = new ArrayList<>();
            List<String> edge = new ArrayList<>();
            for (NtkExperiment.NtkRun run : ntk) {
                if (run.snapshots().isEmpty()) {
                    continue;
                }
                NtkSnapshot last = run.snapshots().get(run.snapshots().size() - 1);
                String name = "m=" + run.run().width() + ", b0=" + Formats.number(run.run().value());
                drift.add(name + ": " + Formats.number(last.kernelDrift()));
                edge.add(name + ": " + Formats.number(last.stepSize() / last.stabilityEdge()));
            }
            return drift.isEmpty() ? "" : "Final relative kernel drift: " + String.join("; ", drift)
                    + ". Last snapshot's eta/b_t as a multiple of 2/lambda_max(H(t)) (below 1: under the edge): "
                    + String.join("; ", edge) + ".";
        }

        private Map<String, Object> json() {
            Map<String, Object> ntkJson = new LinkedHashMap<>();
            for (NtkExperiment.NtkRun n : ntk) {
                ntkJson.put("m=" + n.run().width() + ",b0=" + n.run().value(), Map.of("lambda0", n.lambda0(),
                        "minLambdaRatio", NtkExperiment.minLambdaRatio(n),
                        "finalDrift", n.snapshots().isEmpty() ? Double.NaN
                                : n.snapshots().get(n.snapshots().size() - 1).kernelDrift()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", RunResult.TARGET);
            Map<String, Object> kernels = new LinkedHashMap<>();
            sweep.kernels().forEach((w, k) -> kernels.put("m=" + w, Map.of("edge", k.edge(), "initialLoss",
                    k.initialLoss(), "eta", Grids.adaptiveEta(k), "lambdaMin", k.spectrum().lambdaMin(),
                    "lambdaMax", k.spectrum().lambdaMax())));
            m.put("kernels", kernels);
            m.put("firstStepMultiples", Grids.FIRST_STEP_MULTIPLES);
            m.put("ntk", ntkJson);
            m.put("runsPerOptimizer", robustness().stream().collect(Collectors.groupingBy(RunResult::optimizer,
                    LinkedHashMap::new, Collectors.counting())));
            return m;
        }
    }
}
