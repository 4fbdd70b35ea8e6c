package io.github.adaloss.experiments.synthetic;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.report.Charts;
import io.github.adaloss.experiments.report.RunTables;
import io.github.adaloss.experiments.report.Series;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.RunRecord;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.List;

/**
 * Section "width-transition": AdaLoss's robustness on seeds other than the reported one, across widths m/n: where it
 * starts to reach the target for every claimed b0 (the over-parameterization threshold the robustness claims use,
 * {@link RobustnessClaims#OVERPARAMETERIZED}, measured instead of assumed), whether that width depends on the target
 * error, and how AdaLoss compares with the best-tuned GD at the over-parameterized widths.
 */
public final class WidthTransitionSection implements Section {

    /** The section id. */
    public static final String ID = "width-transition";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "AdaLoss across widths and seeds: where over-parameterization starts";
    }

    private static WidthTransition.Config config(Options o) {
        return o.full() ? WidthTransition.Config.full() : WidthTransition.Config.defaults();
    }

    @Override
    public Work plannedWork(Options o) {
        WidthTransition.Config c = config(o);
        return new Work(WidthTransition.runCount(c), 120.0 * WidthTransition.runCount(c)
                / WidthTransition.runCount(WidthTransition.Config.defaults()) * o.iterations() / 500.0 * o.n()
                / 100.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        Options o = context.options();
        return new Result(WidthTransition.run(o, config(o), context.progress()::step));
    }

    /** @param transition the runs per width ratio and seed */
    public record Result(WidthTransition.Result transition) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return List.of(WidthTransition.thresholdClaim(transition),
                    WidthTransition.targetIndependenceClaim(transition),
                    WidthTransition.withinFactorOfTunedGdClaim(transition));
        }

        @Override
        public List<RunRecord> runs() {
            return RunTables.lossRecords(ID, transition.runs());
        }

        @Override
        public void writeReport(ReportContext r) throws IOException {
            int[] ratios = transition.config().ratios();
            double[] x = new double[ratios.length];
            double[] y = new double[ratios.length];
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < ratios.length; i++) {
                x[i] = ratios[i];
                y[i] = transition.fractionReached(ratios[i]);
                text.append(i == 0 ? "" : ", ").append("m/n = ").append(ratios[i]).append(": ")
                        .append(Formats.number(y[i]));
            }
            r.paragraph("AdaLoss at the kernel-derived eta of the robustness section (b0 -> 0 would start at "
                    + Formats.number(Grids.RHO_MAX) + " x the edge) with the b0 whose first steps are "
                    + java.util.Arrays.toString(WidthTransition.MULTIPLES) + " x the edge 2/lambda_max(H(0)), "
                    + transition.config().seeds() + " seeds other than the reported one, n = " + transition.n()
                    + "; at m >= " + RobustnessClaims.OVERPARAMETERIZED + " n also GD at "
                    + java.util.Arrays.toString(WidthTransition.GD_FRACTIONS) + " x the edge. Fraction of claimed "
                    + "(b0, seed) runs that reach relative loss " + Formats.number(
                    io.github.adaloss.experiments.run.RunResult.TARGET) + ": " + text + ". Every run reaches it from "
                    + "m/n = " + transition.transitionRatio() + " on; for the targets "
                    + java.util.Arrays.toString(WidthTransition.TARGETS) + " from m/n = " + transitions() + ".");
            r.table(List.of("m/n", "seed", "first step / edge", "b0", "iterations to 1e-2", "to 1e-4", "to 1e-6",
                    "best GD to 1e-4"), tableRows());
            r.csv("width-transition.csv", transition.toCsv());
            r.chart("width-transition", Charts.lines("Fraction of claimed AdaLoss runs reaching the target vs width",
                    "m / n", "fraction of (b0, seed) runs", true, false,
                    List.of(new Series("AdaLoss", x, y).in("AdaLoss", 0))),
                    "Fraction of (b0, seed) runs reaching the target per width ratio m/n");
        }
    
        private String transitions() {
            StringBuilder sb = new StringBuilder();
            for (double tau : WidthTransition.TARGETS) {
                sb.append(sb.length() == 0 ? "" : ", ").append(transition.transitionRatio(tau));
            }
            return sb.toString();
        }

        /** @return one row per AdaLoss run at m >= OVERPARAMETERIZED n, with its width's best GD */
        private List<List<String>> tableRows() {
            List<List<String>> rows = new java.util.ArrayList<>();
            for (WidthTransition.Point p : transition.points()) {
                io.github.adaloss.experiments.run.RunResult x = p.run();
                if (x.width() < RobustnessClaims.OVERPARAMETERIZED * transition.n()) {
                    continue;
                }
                io.github.adaloss.experiments.run.RunResult best = RobustnessClaims.fastest(transition.gd().stream()
                        .filter(g -> g.width() == x.width() && g.seed() == x.seed()).toList());
                List<String> row = new java.util.ArrayList<>(List.of(Integer.toString(x.width() / transition.n()),
                        Long.toString(x.seed()), Formats.number(p.rho()) + (p.claimed() ? "" : " (slow side)"),
                        Formats.number(x.value())));
                for (double tau : WidthTransition.TARGETS) {
                    int t = WidthTransition.iterationsTo(x, tau);
                    row.add(t < 0 ? (x.diverged() ? "diverged" : "not reached") : Integer.toString(t));
                }
                row.add(best == null ? "none" : best.iterationsToTarget() + " (lr " + Formats.number(best.value())
                        + ")");
                rows.add(row);
            }
            return rows;
        }
    }
}
