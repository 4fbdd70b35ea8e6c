package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisRegression;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Issue 21, defect 3: HALF networks, and non-finite updates from finite losses and gradients.
 */
class HalfPrecisionTest {

    /** A finite HALF gradient whose sum of magnitudes (719,000) is above HALF's 65,504 is finite. */
    @Test
    void finiteCheckDoesNotOverflowInHalf() {
        INDArray g = Nd4j.valueArrayOf(new long[] {1000}, 719.0, DataType.HALF);
        assertEquals(719_000.0, FiniteCheck.absSum(g), 0.0);
        assertEquals(1000 * 719.0 * 719.0, FiniteCheck.squaredNorm(g), 1e-6 * 1000 * 719.0 * 719.0);
        g.putScalar(999, Double.POSITIVE_INFINITY);
        assertTrue(Double.isInfinite(FiniteCheck.absSum(g)));
        g.putScalar(999, Double.NaN);
        assertTrue(Double.isNaN(FiniteCheck.absSum(g)));
        assertTrue(Double.isNaN(FiniteCheck.squaredNorm(g)));
    }

    /**
     * AdaLoss, AdaGradNorm and HeavyBall train a HALF network along the FLOAT trajectory of the same network:
     * loss after each of 30 steps within 2% (HALF keeps 11 significant bits), parameters finite.
     */
    @Test
    void updatersTrainInHalfLikeInFloat() {
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.3, 1), new AdaGradNorm(0.3, 1), new HeavyBall(0.05, 0.9)}) {
            MultiLayerNetwork half = IrisRegression.net(u, DataType.HALF, Activation.TANH, new LossFeedListener());
            MultiLayerNetwork single = IrisRegression.net(u, DataType.FLOAT, Activation.TANH, new LossFeedListener());
            single.setParams(half.params().castTo(DataType.FLOAT));
            DataSet dh = IrisRegression.data(DataType.HALF);
            DataSet df = IrisRegression.data(DataType.FLOAT);
            for (int t = 0; t < 30; t++) {
                half.fit(dh);
                single.fit(df);
                assertEquals(single.score(), half.score(), 0.02 * single.score() + 2e-3, u + ": loss at step " + t);
            }
            assertTrue(Arrays.stream(half.params().toDoubleVector()).allMatch(Double::isFinite), u::toString);
            assertTrue(half.score(dh) < 0.5 * IrisRegression.net(u, DataType.HALF, Activation.TANH).score(dh),
                    u + ": trains");
        }
    }

    /**
     * AdamLoss cannot keep (1 - beta2) g^2 and eps = 1e-8 in HALF: refused, naming the data type (DL4J networks
     * refuse BFLOAT16 themselves).
     */
    @Test
    void adamLossRefusesHalf() {
        for (DataType type : new DataType[] {DataType.HALF}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                MultiLayerNetwork net = IrisRegression.net(new AdamLoss(), type, Activation.TANH,
                        new LossFeedListener());
                net.fit(IrisRegression.data(type));
            });
            assertTrue(e.getMessage().contains("AdamLoss") && e.getMessage().contains(type.toString())
                    && e.getMessage().contains("FLOAT"), e.getMessage());
        }
    }

    /**
     * Finite loss and gradient, non-finite update: eta = 3e38 in FLOAT overflows eta / b * g. Under AdaLoss the
     * step is rejected (parameters untouched, b doubled); under HeavyBall (no accumulator to grow) it throws, and
     * the parameters are untouched too.
     */
    @Test
    void nonFiniteUpdateNeverReachesTheParameters() {
        DataSet ds = IrisRegression.data(DataType.FLOAT);
        MultiLayerNetwork net = IrisRegression.net(new AdaLoss(3e38, 1), DataType.FLOAT, Activation.TANH,
                new LossFeedListener());
        float[] initial = net.params().toFloatVector();
        net.fit(ds);
        assertArrayEquals(initial, net.params().toFloatVector(), 0f, "AdaLoss: rejected, parameters untouched");
        assertEquals(1, AdaptiveSteps.recoveries(net).getAsLong());
        assertEquals(2.0, AdaptiveSteps.accumulator(net).getAsDouble(), 1e-6, "b^2: 1 -> 4");

        MultiLayerNetwork hb = IrisRegression.net(new HeavyBall(3e38, 0.9), DataType.FLOAT, Activation.TANH,
                new LossFeedListener());
        float[] hbInitial = hb.params().toFloatVector();
        INDArray hbState = hb.getUpdater().getStateViewArray().dup();
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> hb.fit(ds));
        assertTrue(e.getMessage().contains("update"), e.getMessage());
        assertArrayEquals(hbInitial, hb.params().toFloatVector(), 0f, "HeavyBall: parameters untouched");
        assertEquals(hbState, hb.getUpdater().getStateViewArray(), "HeavyBall: velocity untouched");
    }
}
