package io.github.adaloss.experiments.synthetic;

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
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** Section "momentum": GD, heavy ball and Nesterov on the synthetic problem. */
public final class MomentumSection implements Section {

    /** The section id. */
    public static final String ID = "momentum";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Heavy ball vs Nesterov";
    }

    @Override
    public Work plannedWork(Options o) {
        return new Work(MomentumExperiment.runCount(), 4.0 * (MomentumExperiment.width(o) + 200) / 1200.0
                * o.iterations() / 500.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        Options o = context.options();
        return new Result(o, MomentumExperiment.run(o, new SyntheticProblem(o), context.progress()));
    }

    /**
     * @param options  the options
     * @param momentum GD, heavy ball, Nesterov
     */
    public record Result(Options options, List<RunResult> momentum) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return List.of(SyntheticClaims.heavyBallBeatsNesterov(momentum));
        }

        @Override
        public List<RunRecord> runs() {
            return RunTables.lossRecords(ID, momentum);
        }

        @Override
        public void writeReport(ReportContext r) throws IOException {
            r.html("<p>Same problem, width " + MomentumExperiment.width(options) + ", step eta = 1/lambda_max(H(0)) "
                    + "for all three, heavy ball with beta = " + Formats.number(MomentumExperiment.BETA) + ", Nesterov "
                    + "with beta_t = (t-1)/(t+2). The tail rate is the per-iteration contraction factor fitted on the "
                    + "second half of each curve (smaller is faster; 1 means no linear convergence): "
                    + momentum.stream().map(x -> x.optimizer() + " " + Formats.number(MomentumExperiment.tailRate(
                            x.loss()))).collect(Collectors.joining(", ")) + ".</p>\n");
            r.csv("momentum.csv", RunTables.curvesCsv(momentum));
            List<Series> lines = momentum.stream().map(x -> Series.indexed(x.optimizer() + " (tail rate "
                    + Formats.number(MomentumExperiment.tailRate(x.loss())) + ")", RunTables.relative(x.loss()))
                    .in(x.optimizer(), 0)).toList();
            r.chart("momentum", Charts.lines("GD, heavy ball and Nesterov, width " + MomentumExperiment.width(options)
                    + " (eta = 1/lambda_max(H(0)))", "iteration", "L(t) / L(0)", true, lines),
                    "Loss curves of GD, heavy ball and Nesterov");
        }
    }
}
