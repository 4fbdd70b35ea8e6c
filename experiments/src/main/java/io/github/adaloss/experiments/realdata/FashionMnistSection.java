package io.github.adaloss.experiments.realdata;

import io.github.adaloss.experiments.cli.Options;
import io.github.adaloss.experiments.run.Formats;
import io.github.adaloss.experiments.section.Section;
import io.github.adaloss.experiments.section.SectionContext;
import io.github.adaloss.experiments.section.SectionResult;
import io.github.adaloss.experiments.section.Work;
import java.io.IOException;
import java.util.List;

/** Section "fashion-mnist": the four optimizers on LeNet; reports the missing files instead when absent. */
public final class FashionMnistSection implements Section {

    /** The section id. */
    public static final String ID = RealDataExperiment.FASHION;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Real data: Fashion-MNIST";
    }

    @Override
    public Work plannedWork(Options o) {
        return Datasets.hasFashionMnist(o.data())
                ? new Work(RealDataExperiment.fashionRunCount(), o.full() ? 202 * 8 * 3 / 2.0 : 202) : Work.none();
    }

    @Override
    public SectionResult run(SectionContext context) throws IOException {
        Options o = context.options();
        String chart = "Fashion-MNIST LeNet: test accuracy (mean and spread over seeds)";
        if (!Datasets.hasFashionMnist(o.data())) {
            return new ClassificationResult(ID, "", chart, 0.1, List.of(), "Fashion-MNIST files not found in "
                    + o.data() + ": " + Datasets.FASHION_MNIST_HINT);
        }
        String description = "<p>Fashion-MNIST, zoo LeNet, " + (o.full() ? "4096 training images, batches of 64, 3 "
                + "epochs" : "512 training images, batches of 32, one epoch (16 updates: at this budget the chart "
                + "shows how fast each setting starts to learn)") + "; AdaLoss and AdaGrad-Norm at eta = "
                + Formats.number(RealDataExperiment.LENET_ETA) + " over b0, Adam and SGD over the learning rate; "
                + "accuracy on 1000 test images; " + RealDataExperiment.SEEDS + " seeds per setting.</p>\n";
        return new ClassificationResult(ID, description, chart, 0.1,
                RealDataExperiment.fashionMnist(o, context.progress()), null);
    }
}
