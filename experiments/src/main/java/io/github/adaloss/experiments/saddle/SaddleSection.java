package io.github.adaloss.experiments.saddle;

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
import java.util.List;
import java.util.Map;

/** Section "saddle": escape times of SGD and the adaptive methods near a strict saddle (Staib et al.). */
public final class SaddleSection implements Section {

    /** The section id. */
    public static final String ID = "saddle";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Saddle escape: adaptive methods as preconditioned SGD";
    }

    static SaddleEscapeExperiment.Config config(Options o) {
        return o.full() ? SaddleEscapeExperiment.Config.full(o.seed()) : SaddleEscapeExperiment.Config.defaults(o.seed());
    }

    @Override
    public Work plannedWork(Options o) {
        SaddleEscapeExperiment.Config c = config(o);
        return new Work(SaddleEscapeExperiment.runCount(c), 20.0 * c.maxIterations() / 400.0);
    }

    @Override
    public SectionResult run(SectionContext context) {
        return new Result(SaddleEscapeExperiment.run(config(context.options()), context.progress()::step));
    }

    /** @param experiment the escape times and the noise isotropy */
    public record Result(SaddleEscapeExperiment.Result experiment) implements SectionResult {

        @Override
        public List<Claim> claims() {
            return SaddleClaims.evaluate(experiment);
        }

        @Override
        public List<RunRecord> runs() {
            List<RunRecord> out = new ArrayList<>();
            for (boolean tuning : new boolean[] {true, false}) {
                for (SaddleEscapeExperiment.Escapes e : tuning ? experiment.runs() : experiment.reported()) {
                    for (int k = 0; k < e.escape().length; k++) {
                        int t = e.escape()[k];
                        boolean escaped = t != Integer.MAX_VALUE;
                        out.add(new RunRecord(ID, e.optimizer(), "lr", e.rate(), tuning
                                ? SaddleEscapeExperiment.tuningSeed(experiment.config(), k)
                                : experiment.config().seed() + 1 + k, (tuning ? "tuning: " : "")
                                + (escaped ? "escaped at " + t : "not escaped"), Map.of("escapeIteration",
                                escaped ? (double) t : Double.NaN)));
                    }
                }
            }
            return out;
        }

        @Override
        public void writeReport(ReportContext report) throws IOException {
            SaddleReport.write(experiment, report);
        }
    }
}
