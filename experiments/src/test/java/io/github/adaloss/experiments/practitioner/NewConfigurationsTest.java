package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.updater.AdaLoss;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

/** The configurations added for issue 19 (text, sum) and the loss-scale rule's runner. */
class NewConfigurationsTest {

    @Test
    void wordsAreOneHotSequencesWithTheLabelAtTheLastCharacter() {
        DataSet d = TextWorkload.encode(List.of("abc", "ca", "abcdefghijklmnopq"), List.of(2, 0, 1), "abc", 3);
        INDArray f = d.getFeatures();
        assertEquals(List.of(3L, 4L, (long) TextWorkload.MAX_LENGTH), List.of(f.size(0), f.size(1), f.size(2)));
        // "ca": c at t=0, a at t=1, nothing after
        assertEquals(1, f.getDouble(1, 2, 0), 0);
        assertEquals(1, f.getDouble(1, 0, 1), 0);
        assertEquals(2, d.getFeaturesMaskArray().getRow(1).sumNumber().doubleValue(), 0);
        assertEquals(1, d.getLabelsMaskArray().getDouble(1, 1), 0);
        assertEquals(1, d.getLabelsMaskArray().getRow(1).sumNumber().doubleValue(), 0);
        assertEquals(1, d.getLabels().getDouble(1, 0, 1), 0);
        // letters outside the alphabet go to the extra symbol; a long word is cut at MAX_LENGTH
        assertEquals(1, f.getDouble(2, 3, 3), 0);
        int last = TextWorkload.MAX_LENGTH - 1;
        assertEquals(TextWorkload.MAX_LENGTH, d.getFeaturesMaskArray().getRow(2).sumNumber().doubleValue(), 0);
        assertEquals(1, d.getLabels().getDouble(2, 1, last), 0);
        // one active input per real time step, none after
        assertEquals(3 + 2 + TextWorkload.MAX_LENGTH, f.sumNumber().doubleValue(), 0);
    }

    @Test
    void sumIsTheQuickstartDataTargetsAreExactSums() throws Exception {
        RegressionWorkload w = new RegressionWorkload(RegressionWorkload.Problem.SUM, new Budget(1000, 300, 1));
        assertEquals("sum", w.id());
        assertEquals(new Nesterovs(0.01, 0.9), w.publishedUpdater());
        Workload.Data d = w.data(1);
        DataSet t = d.test();
        assertEquals(300, t.numExamples());
        INDArray x = t.getFeatures();
        assertEquals(2, x.size(1));
        assertTrue(x.minNumber().doubleValue() >= 0 && x.maxNumber().doubleValue() < 3);
        INDArray err = x.sum(1).reshape(300, 1).sub(t.getLabels().castTo(x.dataType()));
        assertEquals(0, err.amaxNumber().doubleValue(), 1e-5);
        // std of the sum of two U(0, 3): sqrt(2 * 9 / 12) = 1.2247; 300 draws: within 10 %
        assertEquals(Math.sqrt(1.5), d.targetStd(), 0.12);
        assertEquals(10, d.batches().size());
    }

    @Test
    void relativeAlphaMakesTheFirstAccumulatorSqrtOfB0SquaredPlusOne() throws Exception {
        for (RegressionWorkload.Problem p : RegressionWorkload.Problem.values()) {
            RegressionWorkload w = new RegressionWorkload(p, new Budget(100, 50, 1));
            Workload.Data d = w.data(3);
            for (double b0 : new double[] {0.1, 10}) {
                OptimizerSpec s = new OptimizerSpec(OptimizerGrid.ADALOSS_RELATIVE, "b0", b0, 1, b0, new AdaLoss(1, b0));
                MultiLayerNetwork net = (MultiLayerNetwork) w.build(s.updater(), 3);
                double l0 = net.score(d.batches().get(0));
                AdaLoss u = Runner.relativeAlpha(net, d.batches().get(0), s);
                assertEquals(1 / l0, u.getAlpha(), 1e-12 / l0);
                // one update (100 examples = one batch): b_1^2 = b0^2 + alpha l_0 = b0^2 + 1
                PracticeRun r = Runner.run(w, new Workload.Data(d.batches().subList(0, 1), d.test(), d.targetStd()),
                        s, 3);
                assertEquals("ok", r.status());
                assertEquals(Math.sqrt(b0 * b0 + 1), r.finalB(), 1e-5 * Math.sqrt(b0 * b0 + 1), p + " b0=" + b0);
            }
        }
    }

    @Test
    void firstStepIsTheUpdateAdaLossApplies() throws Exception {
        // the quickstart sum (no regularization, no clipping): AdaLoss' first update is exactly step * g_0
        RegressionWorkload w = new RegressionWorkload(RegressionWorkload.Problem.SUM, new Budget(100, 50, 1));
        Workload.Data d = w.data(4);
        MultiLayerNetwork net = (MultiLayerNetwork) w.build(new AdaLoss(), 4);
        INDArray before = net.params().dup();
        java.util.Map<String, INDArray> arrays = new java.util.LinkedHashMap<>();
        net.paramTable().forEach((k, v) -> arrays.put(k, v.dup()));
        FirstStep f = FirstStep.measure("sum", net, d.batches().get(0), 4, 1, 1, 1);
        assertEquals(before, net.params(), "measuring must not change the parameters");
        assertEquals(1 / Math.sqrt(1 + f.l0()), f.step(), 1e-15);
        net.addListeners(new io.github.adaloss.updater.LossFeedListener());
        net.fit(d.batches().get(0));
        INDArray delta = net.params().sub(before);
        double rel = delta.norm2Number().doubleValue() / before.norm2Number().doubleValue();
        assertEquals(rel, f.relative(), 1e-5 * rel);
        assertEquals(delta.amaxNumber().doubleValue(), f.maxCoordinate(), 1e-5 * f.maxCoordinate());
        // the largest per-array ratio, from the applied update (arrays that start at zero, the biases, left out)
        double maxLayer = 0;
        String name = "";
        for (java.util.Map.Entry<String, INDArray> e : arrays.entrySet()) {
            double norm = e.getValue().norm2Number().doubleValue();
            double r = norm > 0 ? net.getParam(e.getKey()).sub(e.getValue()).norm2Number().doubleValue() / norm : 0;
            if (r > maxLayer) {
                maxLayer = r;
                name = e.getKey();
            }
        }
        assertEquals(maxLayer, f.maxLayer(), 1e-5 * maxLayer);
        assertEquals(name, f.maxLayerName());
    }
}
