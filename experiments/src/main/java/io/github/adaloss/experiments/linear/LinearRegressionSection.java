package io.github.adaloss.experiments.linear;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.report.Charts;
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
import io.github.adaloss.experiments.synthetic.Grids;
import io.github.adaloss.experiments.synthetic.KernelAtInit;
import io.github.adaloss.experiments.synthetic.LinearizedDynamics;
import io.github.adaloss.experiments.synthetic.MomentumExperiment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/** Section "linear-regression": the AdaLoss paper's least-squares experiment over b0. */
public final class LinearRegressionSection implements Section {

    /** The section id. */
    public static final String ID = "linear-regression";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Linear regression over b0 (AdaLoss paper)";
    }

    @Override
    public Work plannedWork(Options o) {
        return new Work(LinearRegressionExperiment.runCount(), 10);
    }

    @Override
    public SectionResult run(SectionContext context) {
        Options o = context.options();
        return new Result(LinearRegressionExperiment.run(LinearRegressionExperiment.Config.defaults(), o.seed(),
                context.progress()::step));
    }

    /** @param result the runs */
    public record Result(LinearRegressionExperiment.Result result) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return LinearRegressionClaims.claims(result);
        }

        @Override
        public List<RunRecord> runs() {
            return RunTables.lossRecords(ID, result.runs());
        }

        @Override
        public void writeReport(ReportContext r) throws IOException {
            KernelAtInit k = result.problem().kernel();
            double[] mu = result.problem().hessianEigenvalues();
            r.paragraph("Least squares L(w) = 1/(2n) ||X w - y||^2, n = " + result.config().n() + ", d = "
                    + result.config().d() + ", columns of X scaled from 1 to 1/sqrt(" + Formats.number(
                    LeastSquaresProblem.CONDITION) + "), y = X w* (no noise), w starts at 0. Eigenvalues of X^T X/n: "
                    + Formats.number(mu[0]) + " to " + Formats.number(mu[mu.length - 1]) + " (condition "
                    + Formats.number(k.spectrum().conditionNumber()) + "); edge 2/mu_max = " + Formats.number(k.edge())
                    + ", L(0) = " + Formats.number(k.initialLoss()) + ". AdaLoss and AdaGrad-Norm use one eta = "
                    + Formats.number(Grids.adaptiveEta(k)) + " (b0 -> 0 would start at " + Formats.number(
                    Grids.RHO_MAX) + " x the edge) and the b0 whose first AdaLoss step is "
                    + java.util.Arrays.toString(Grids.FIRST_STEP_MULTIPLES) + " x the edge; GD runs at the same "
                    + "fixed steps and at its closed-form optimum 2/(mu_max + mu_min) = " + Formats.number(
                    result.optimalStep()) + " (closed-form rate " + Formats.number(LinearizedDynamics
                    .gradientDescentRate(mu, result.optimalStep())) + " per iteration). Budget "
                    + result.config().iterations() + " iterations; runs stop at " + Formats.number(
                    LinearRegressionExperiment.STOP) + " of L(0).");
            List<List<String>> rows = new ArrayList<>();
            for (RunResult x : result.runs()) {
                boolean adaptive = !x.optimizer().equals("GD");
                double rho = adaptive ? LinearRegressionClaims.rho(result, x) : x.value() / k.edge();
                double step = adaptive ? Grids.adaptiveEta(k) / x.finalB() : x.value();
                rows.add(List.of(x.optimizer(), x.parameter() + " = " + Formats.number(x.value()),
                        Formats.number(rho), x.status(), Formats.number(MomentumExperiment.tailRate(x.loss())),
                        x.diverged() ? "-" : Formats.number(LinearizedDynamics.gradientDescentRate(mu, step))));
            }
            r.table(List.of("optimizer", "setting", "first step / edge", "iterations to 1e-4", "tail rate",
                    "closed-form GD rate at the final step"), rows);
            r.csv("linear-regression.csv", RunTables.curvesCsv(result.runs()));
            List<Series> lines = new ArrayList<>();
            int variant = 0;
            for (RunResult x : result.of("AdaLoss")) {
                lines.add(Series.indexed("AdaLoss " + Formats.number(LinearRegressionClaims.rho(result, x)) + "x",
                        RunTables.relative(x.loss())).in("AdaLoss", variant++));
            }
            RunResult best = result.of("GD").get(result.of("GD").size() - 1);
            lines.add(Series.indexed("GD optimal step", RunTables.relative(best.loss())).in("GD", 0));
            XYChart chart = Charts.lines("Linear regression: AdaLoss over b0 and GD at its optimal step", "iteration",
                    "L(t) / L(0)", true, lines);
            Charts.threshold(chart, "target " + Formats.number(RunResult.TARGET), RunResult.TARGET);
            r.chart("linear-regression", chart, "Relative loss of AdaLoss for every first-step multiple of the edge, "
                    + "and of GD at its closed-form optimal step");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("eigenvalues", mu);
            json.put("edge", k.edge());
            json.put("eta", Grids.adaptiveEta(k));
            json.put("optimalStep", result.optimalStep());
            r.json(json);
        }
    }
}
