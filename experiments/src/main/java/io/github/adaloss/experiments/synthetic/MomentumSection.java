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
        double units = 0;
        for (int w : MomentumExperiment.widths(o)) {
            units += (w + 200) * (2.0 + (w == MomentumExperiment.width(o) ? MomentumExperiment.NESTEROV_HORIZONS : 1));
        }
        return new Work(MomentumExperiment.runCount(o), MomentumExperiment.SEEDS * 2.5e-6 * units * o.iterations()
                * o.n() / 100.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        Options o = context.options();
        return new Result(o, MomentumExperiment.run(o, context.progress()));
    }

    /**
     * @param options  the options
     * @param cases    GD, heavy ball, Nesterov per seed and width
     */
    public record Result(Options options, List<MomentumExperiment.Case> cases) implements SectionResult {

        /** @return every run, case by case (GD, heavy ball, Nesterov) */
        public List<RunResult> momentum() {
            return cases.stream().flatMap(c -> c.runs().stream()).toList();
        }

        @Override
        public List<Claim> claims() {
            return List.of(SyntheticClaims.momentumRatesMatchTheKernel(cases),
                    SyntheticClaims.nesterovRateTendsToOne(cases, options.iterations()));
        }

        @Override
        public List<RunRecord> runs() {
            return RunTables.lossRecords(ID, momentum());
        }

        @Override
        public void writeReport(ReportContext r) throws IOException {
            MomentumExperiment.Case first = cases.get(0);
            StringBuilder rates = new StringBuilder();
            for (MomentumExperiment.Case c : cases) {
                rates.append(rates.length() == 0 ? "" : "; ").append("seed ").append(c.seed()).append(" m=")
                        .append(c.width()).append(": ").append(c.runs().stream().map(x -> x.optimizer() + " "
                                + Formats.number(MomentumExperiment.tailRate(x.loss(), options.iterations())))
                                .collect(Collectors.joining(", ")));
            }
            double hbAsymptotic = LinearizedDynamics.heavyBallRate(first.kernel().spectrum().eigenvalues(),
                    first.step(), MomentumExperiment.BETA);
            r.html("<p>Same problem, widths " + java.util.Arrays.toString(MomentumExperiment.widths(options))
                    + ", seeds " + options.seed() + "-" + (options.seed() + MomentumExperiment.SEEDS - 1)
                    + ", step eta = 1/lambda_max(H(0)) for all three, heavy ball with beta = "
                    + Formats.number(MomentumExperiment.BETA) + ", Nesterov with beta_t = (t-1)/(t+2). The tail rate is "
                    + "the per-iteration contraction factor fitted on the second half of each curve (smaller is "
                    + "faster; 1 means no linear convergence), at the budget T = " + options.iterations() + ": "
                    + Html.escape(rates.toString()) + ".</p>\n<p>What the comparison can and cannot show: with this "
                    + "step every mode of the kernel is under-damped for heavy ball, so its predicted asymptotic rate "
                    + "is max|z|^2 = " + Formats.number(hbAsymptotic) + " = beta (seed " + first.seed() + ", m = "
                    + first.width() + "), whatever the network; Nesterov's schedule has no linear rate to compare "
                    + "with. \"Heavy ball's tail rate beats Nesterov's\" therefore follows from the set-up and is not "
                    + "counted as a claim; the claims test the rates against the kernel's prediction and Nesterov's "
                    + "rate against the horizon.</p>\n");
            List<RunResult> all = momentum();
            r.csv("momentum.csv", RunTables.curvesCsv(all));
            List<Series> lines = first.runs().stream().map(x -> Series.indexed(x.optimizer() + " (tail rate "
                    + Formats.number(MomentumExperiment.tailRate(x.loss(), options.iterations())) + ")",
                    RunTables.relative(x.loss())).in(x.optimizer(), 0)).toList();
            r.chart("momentum", Charts.lines("GD, heavy ball and Nesterov, width " + first.width() + ", seed "
                    + first.seed() + " (eta = 1/lambda_max(H(0)))", "iteration", "L(t) / L(0)", true, lines),
                    "Loss curves of GD, heavy ball and Nesterov (Nesterov runs " + MomentumExperiment.NESTEROV_HORIZONS
                    + "x longer at this width)");
        }
    }
}
