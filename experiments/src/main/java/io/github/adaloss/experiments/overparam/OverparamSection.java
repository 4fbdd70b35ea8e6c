package io.github.adaloss.experiments.overparam;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.realdata.Datasets;
import io.github.adaloss.experiments.section.Claim;
import io.github.adaloss.experiments.section.ReportContext;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;

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
            int runs = OverparamExperiment.runCount(c, data(o));
            return new Work(runs, 46.0 * c.iterations() / 2000.0 * runs / 14.0);
        } catch (IOException e) {
            return Work.none();
        }
    }

    @Override
    public SectionResult run(SectionContext context) throws IOException {
        Options o = context.options();
        return new Result(OverparamExperiment.run(config(o), data(o), context.progress()::step));
    }

    /**
     * Iris with its duplicated inputs removed (stratified 2/3 train, 1/3 test); with {@code --full} and the files
     * present also a de-duplicated Fashion-MNIST subset pooled to 7 x 7 ({@link OverparamData#splits}).
     */
    static List<OverparamExperiment.Split> data(Options o) throws IOException {
        return OverparamData.splits(o.seed(), o.full() ? o.data() : null);
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
