package io.github.adaloss.experiments.practitioner;

import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one configuration with one optimizer setting: the same mini-batches in the same order for every setting of a
 * seed, the loss feed attached with its default overshoot recovery (what a user gets from
 * {@code new LossFeedListener()}; it leaves non-AdaLoss updaters alone), and every exception caught and recorded as
 * a crash, so one run never ends the suite. The number of rejected (recovered) steps is recorded.
 */
public final class Runner {

    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

    private Runner() {
    }

    /**
     * @param w    the configuration
     * @param data its data for this seed
     * @param spec the optimizer setting
     * @param seed the seed (initialization)
     * @return the outcome
     */
    public static PracticeRun run(Workload w, Workload.Data data, OptimizerSpec spec, long seed) {
        long t0 = System.nanoTime();
        List<DataSet> batches = data.batches();
        double[] losses = new double[batches.size()];
        int done = 0;
        String status = "ok";
        String error = "";
        Model model = null;
        try {
            model = w.build(spec.updater(), seed);
            if (OptimizerGrid.ADALOSS_RELATIVE.equals(spec.family())) {
                model = w.build(relativeAlpha(model, batches.get(0), spec), seed);
            }
            if (OptimizerGrid.ROW_ADAGRAD_NORM.equals(spec.family())) {
                RowAdaGradNorm.applyTo(model, spec.eta(), spec.b0());
            }
            model.addListeners(new LossFeedListener());
            for (DataSet b : batches) {
                long rejectedBefore = AdaptiveSteps.recoveries(model).orElse(0);
                Networks.fit(model, b);
                double s = model.score();
                losses[done++] = s;
                // a non-finite loss whose step the loss feed rejected (parameters rolled back) is not a divergence:
                // training goes on, and the loss means below skip it
                if (!Double.isFinite(s) && AdaptiveSteps.recoveries(model).orElse(0) == rejectedBefore) {
                    status = "diverged";
                    break;
                }
            }
        } catch (Exception | StackOverflowError e) {
            status = "crashed";
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.debug("{} {} crashed", w.id(), spec.label(), e);
        }
        double metric = Double.NaN;
        double finalB = Double.NaN;
        long recoveries = 0;
        if (model != null) {
            finalB = AdaptiveSteps.accumulator(model).orElse(Double.NaN);
            recoveries = AdaptiveSteps.recoveries(model).orElse(0);
            if (!"crashed".equals(status)) {
                metric = metric(model, data, w.regression());
            }
        }
        int window = Math.max(1, batches.size() / 10);
        double initial = mean(losses, 0, Math.min(window, done));
        double fin = done == batches.size() ? mean(losses, done - window, done) : Double.NaN;
        return new PracticeRun(w.id(), spec.family(), spec.parameter(), spec.value(), spec.eta(), spec.b0(), seed,
                w.regression(), metric, initial, fin, status, error, finalB, recoveries, done,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The loss-scale rule {@link OptimizerGrid#ADALOSS_RELATIVE}: AdaLoss at the setting's eta and b0 with
     * {@code alpha = 1 / l_0}, {@code l_0} the loss (with regularization, as DL4J's score) of the first mini-batch at
     * the initial parameters of {@code model}.
     *
     * @param model a network at its initial parameters
     * @param first the first mini-batch of the run
     * @param spec  the setting
     * @return the updater
     */
    static AdaLoss relativeAlpha(Model model, DataSet first, OptimizerSpec spec) {
        double l0 = Networks.score(model, first);
        if (!(l0 > 0) || !Double.isFinite(l0)) {
            throw new IllegalStateException("first loss must be finite and > 0 for alpha = 1/l0, got " + l0);
        }
        return AdaLoss.builder().learningRate(spec.eta()).b0(spec.b0()).alpha(1 / l0).build();
    }

    /**
     * @param model      a trained network
     * @param data       its data
     * @param regression true for RMSE / std, false for accuracy
     * @return test accuracy (0 if the outputs are not finite) or relative error (NaN if not finite)
     */
    public static double metric(Model model, Workload.Data data, boolean regression) {
        DataSet test = data.test();
        INDArray out = Networks.output(model, test);
        boolean finite = Double.isFinite(out.sumNumber().doubleValue());
        if (regression) {
            if (!finite) {
                return Double.NaN;
            }
            INDArray diff = out.castTo(test.getLabels().dataType()).sub(test.getLabels());
            double rmse = Math.sqrt(Transforms.pow(diff, 2).meanNumber().doubleValue());
            return rmse / data.targetStd();
        }
        if (!finite) {
            return 0;
        }
        Evaluation e = new Evaluation((int) test.getLabels().size(1));
        e.eval(test.getLabels(), out, test.getLabelsMaskArray());
        return e.accuracy();
    }

    private static double mean(double[] v, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double s = 0;
        int n = 0;
        for (int i = from; i < to; i++) {
            if (Double.isFinite(v[i])) { // the rejected steps' non-finite losses are left out
                s += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
