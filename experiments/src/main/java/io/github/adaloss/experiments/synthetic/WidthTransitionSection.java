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
 * Section "width-transition": where AdaLoss starts to reach the target for every b0 as the width m/n grows, on
 * seeds other than the reported one. It measures the over-parameterization threshold the robustness claims use
 * ({@link RobustnessClaims#OVERPARAMETERIZED}) instead of assuming it.
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
        return "Where over-parameterization starts (AdaLoss, m/n)";
    }

    private static WidthTransition.Config config(Options o) {
        return o.full() ? WidthTransition.Config.full() : WidthTransition.Config.defaults();
    }

    @Override
    public Work plannedWork(Options o) {
        WidthTransition.Config c = config(o);
        return new Work(WidthTransition.runCount(c), 60.0 * WidthTransition.runCount(c)
                / WidthTransition.runCount(WidthTransition.Config.defaults()) * o.iterations() / 500.0);
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
            return List.of(WidthTransition.thresholdClaim(transition));
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
            r.paragraph("AdaLoss (eta = " + Formats.number(Grids.ADAPTIVE_ETA) + ") over every b0 of the robustness "
                    + "grid, " + transition.config().seeds() + " seeds other than the reported one, n = "
                    + transition.n() + ". Fraction of (b0, seed) runs that reach relative loss "
                    + Formats.number(io.github.adaloss.experiments.run.RunResult.TARGET) + ": " + text
                    + ". Every run reaches it from m/n = " + transition.transitionRatio() + " on.");
            r.csv("width-transition.csv", transition.toCsv());
            r.chart("width-transition", Charts.lines("Fraction of AdaLoss runs reaching the target vs width",
                    "m / n", "fraction of (b0, seed) runs", true, false,
                    List.of(new Series("AdaLoss", x, y).in("AdaLoss", 0))),
                    "Fraction of (b0, seed) runs reaching the target per width ratio m/n");
        }
    }
}
