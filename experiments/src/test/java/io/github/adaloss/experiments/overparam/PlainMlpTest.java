package io.github.adaloss.experiments.overparam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.experiments.realdata.Datasets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java depth-3 MLP against DL4J's network of the same parameters: loss curve, curvature, accuracy. */
class PlainMlpTest {

    /** @return DL4J's d-h-h-k network of {@link OverparamExperiment#network} carrying the plain network's weights */
    static MultiLayerNetwork dl4j(PlainMlp p, double step) {
        MultiLayerNetwork net = OverparamExperiment.network(p.d, p.h, p.k, 1, step);
        double[] w = p.parameters();
        int at = 0;
        int[][] layers = {{p.d, p.h}, {p.h, p.h}, {p.h, p.k}};
        for (int l = 0; l < 3; l++) {
            int in = layers[l][0];
            int out = layers[l][1];
            double[][] m = new double[in][out];
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    m[i][j] = w[at++];
                }
            }
            double[] b = new double[out];
            for (int j = 0; j < out; j++) {
                b[j] = w[at++];
            }
            net.setParam(l + "_W", Nd4j.createFromArray(m));
            net.setParam(l + "_b", Nd4j.createFromArray(new double[][] {b}));
        }
        return net;
    }

    static DataSet iris() throws Exception {
        DataSet all = OverparamData.distinct(Datasets.iris());
        return new DataSet(all.getFeatures().castTo(DataType.DOUBLE), all.getLabels().castTo(DataType.DOUBLE));
    }

    static double[] flat(DataSet d, boolean labels) {
        return (labels ? d.getLabels() : d.getFeatures()).dup('c').data().asDouble();
    }

    @Test
    void parameterCountByHand() {
        // Iris, h = 3: W1 4x3 + b1 3 + W2 3x3 + b2 3 + W3 3x3 + b3 3 = 12 + 3 + 9 + 3 + 9 + 3 = 39
        assertEquals(39, PlainMlp.xavier(4, 3, 3, 1).parameterCount());
        assertEquals(39, OverparamExperiment.parameterCount(4, 3, 3));
        // Fashion 7x7, h = 14: 49*14 + 14 + 14*14 + 14 + 14*10 + 10 = 686 + 14 + 196 + 14 + 140 + 10 = 1060
        assertEquals(1060, OverparamExperiment.parameterCount(49, 14, 10));
        assertEquals(1060, OverparamExperiment.network(49, 14, 10, 1, 0.1).numParams());
        assertThrows(IllegalArgumentException.class, () -> new PlainMlp(4, 3, 3, new double[38]));
    }

    @Test
    void gradientDescentFollowsDl4jStepForStep() throws Exception {
        DataSet d = iris();
        int n = d.numExamples();
        PlainMlp p = PlainMlp.xavier(4, 12, 3, 5);
        double step = 0.2;
        MultiLayerNetwork net = dl4j(p, step);
        double[] plain = p.descend(flat(d, false), flat(d, true), n, step, 25, 0);
        assertEquals(26, plain.length);
        for (int t = 0; t < 25; t++) {
            double ref = net.score(d);
            assertEquals(ref, plain[t], 1e-10 * ref, "iteration " + t);
            net.fit(d);
        }
        assertEquals(net.score(d), plain[25], 1e-10 * plain[25]);
        assertTrue(plain[25] < 0.9 * plain[0], "the loss falls: " + plain[0] + " -> " + plain[25]);
        int[] labels = OverparamExperiment.classes(flat(d, true), 3);
        org.nd4j.evaluation.classification.Evaluation e = new org.nd4j.evaluation.classification.Evaluation(3);
        e.eval(d.getLabels(), net.output(d.getFeatures()));
        assertEquals(e.accuracy(), p.accuracy(flat(d, false), labels), 1e-12);
    }

    @Test
    void curvatureMatchesDl4jPowerIteration() throws Exception {
        DataSet d = iris();
        // biases 0.1 (not Xavier's 0): a row whose first-layer units are all off would otherwise put a second-layer
        // pre-activation exactly at the ReLU kink, where DL4J's finite difference sees half a derivative and the
        // exact forward mode (like DL4J's own gradient) none
        double[] w = PlainMlp.xavier(4, 10, 3, 9).parameters();
        for (int at : new int[] {40, 150, 190}) {
            for (int j = 0; j < (at == 190 ? 3 : 10); j++) {
                w[at + j] = 0.1;
            }
        }
        PlainMlp p = new PlainMlp(4, 10, 3, w);
        double plain = p.lambdaMax(flat(d, false), d.numExamples(), 1500, 3);
        double ref = Curvature.lambdaMax(dl4j(p, 0.1), d, 1500, 4);
        // two power iterations from different starts, converged: the same top eigenvalue
        assertEquals(ref, plain, 1e-6 * ref);
        assertThrows(IllegalArgumentException.class, () -> p.lambdaMax(flat(d, false), d.numExamples(), 0, 1));
    }
}
