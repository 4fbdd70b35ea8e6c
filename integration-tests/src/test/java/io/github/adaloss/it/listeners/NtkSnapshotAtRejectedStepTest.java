package io.github.adaloss.it.listeners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.it.support.IrisData;
import io.github.adaloss.it.support.Nets;
import io.github.adaloss.ntk.kernel.EmpiricalNtk;
import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Issue 21, defect 4: an {@link NtkSpectrumListener} after the loss feed read {@code model.score()} of a rejected
 * step and computed the Gram at the parameters the feed had already restored (one snapshot, two states). Now the
 * feed changes nothing at {@code onGradientCalculation}: before or after it, a snapshot's loss and Gram come from
 * the same parameters. Checked against the kernel recomputed at the parameters a recorder saw.
 */
class NtkSnapshotAtRejectedStepTest {

    @Test
    void snapshotLossAndGramComeFromTheSameParameters() {
        DataSet all = IrisData.standardized(3);
        List<DataSet> batches = all.batchBy(30);
        INDArray probe = all.getFeatures().get(NDArrayIndex.interval(0, 12), NDArrayIndex.all());
        MultiLayerNetwork net = Nets.irisClassifier(new AdaLoss(), 4, 8);
        NtkSpectrumListener before = NtkSpectrumListener.builder(probe).everyIterations(1).build();
        NtkSpectrumListener after = NtkSpectrumListener.builder(probe).everyIterations(1).build();
        List<INDArray> params = new ArrayList<>();
        BaseTrainingListener recorder = new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                params.add(model.params().dup());
            }
        };
        net.setListeners(before, new LossFeedListener(Recovery.builder().snapshotEvery(1).build()), after, recorder);
        for (int t = 0; t < 6; t++) {
            DataSet b = batches.get(t % batches.size()).copy();
            if (t == 4) {
                b.getLabels().putScalar(0, 0, Double.NaN);
            }
            net.fit(b);
        }
        assertEquals(1, AdaptiveSteps.recoveries(net).getAsLong());
        MultiLayerNetwork copy = net.clone();
        for (int t = 0; t < 6; t++) {
            copy.setParams(params.get(t));
            INDArray gram = EmpiricalNtk.builder(copy).build().compute(probe);
            double trace = 0;
            for (int i = 0; i < gram.rows(); i++) {
                trace += gram.getDouble(i, i);
            }
            for (NtkSpectrumListener l : List.of(before, after)) {
                NtkSnapshot s = l.history().get(t);
                assertEquals(trace, s.trace(), 1e-6 * Math.abs(trace), "iteration " + t + ": Gram at the parameters");
            }
        }
        assertTrue(Double.isNaN(after.history().get(4).loss()), "the rejected step's loss is its own (NaN)");
    }
}
