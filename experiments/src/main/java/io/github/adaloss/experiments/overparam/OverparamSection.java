package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.List;

/** Section "overparam": the over-parameterization sweep (Kawaguchi and Huang). */
public final class OverparamSection implements Section {

    /** The section id. */
    public static final String ID = "overparam";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Over-parameterization: how many parameters does gradient descent need?";
    }

    private static OverparamExperiment.Config config(Options o) {
        return o.full() ? OverparamExperiment.Config.full(o.seed()) : OverparamExperiment.Config.defaults(o.seed());
    }

    @Override
    public Work plannedWork(Options o) {
        try {
            OverparamExperiment.Config c = config(o);
            OverparamExperiment.Split fashion = OverparamData.fashion(o.data());
            int runs = OverparamExperiment.runCount(c, List.of(OverparamData.iris(o.seed())), fashion);
            return new Work(runs, o.full() ? 3600 : 150);
        } catch (IOException e) {
            return Work.none();
        }
    }

    @Override
    public SectionResult run(SectionContext context) throws IOException {
        Options o = context.options();
        return new Result(OverparamExperiment.run(config(o), List.of(OverparamData.iris(o.seed())),
                OverparamData.fashion(o.data()), context.progress()::step));
    }

    /** @param sweep the sweep's runs */
    public record Result(OverparamExperiment.Result sweep) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return OverparamClaims.evaluate(sweep);
        }

        @Override
        public String consoleSummary() {
            return sweep.runs().size() + " runs";
        }

        @Override
        public void writeReport(ReportContext report) throws IOException {
            OverparamReport.write(sweep, report);
        }
    }
}
