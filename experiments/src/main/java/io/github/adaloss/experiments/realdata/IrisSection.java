package io.github.adaloss.experiments.realdata;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;

/** Section "iris": AdaLoss, AdaGrad-Norm, Adam and SGD over their grids on Iris. */
public final class IrisSection implements Section {

    /** The section id. */
    public static final String ID = RealDataExperiment.IRIS;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Real data: Iris";
    }

    @Override
    public Work plannedWork(Options o) {
        return new Work(RealDataExperiment.irisRunCount(), 12);
    }

    @Override
    public SectionResult run(SectionContext context) throws IOException {
        return new ClassificationResult(ID, "<p>Iris, MLP 4-16-3, full batch, 200 iterations; AdaLoss and AdaGrad-Norm"
                + " at their default learning rates over b0, Adam and SGD over the learning rate; "
                + RealDataExperiment.SEEDS + " seeds per setting; training accuracy.</p>\n",
                "Iris: training accuracy (mean and spread over seeds)", 1.0 / 3,
                RealDataExperiment.iris(context.options(), context.progress()), null);
    }
}
