package io.github.adaloss.updater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.testing.IrisRegression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

/** The loss feed's step recovery ({@link Recovery}): rollback, growth of b, give-up bound, fail fast, checkpoints. */
class RecoveryTest {

    private static DataSet regression(DataType type) {
        return IrisRegression.data(type);
    }

    private static MultiLayerNetwork net(IUpdater u, DataType type, LossFeedListener feed) {
        return IrisRegression.net(u, type, Activation.TANH, feed);
    }

    private static MultiLayerNetwork net(IUpdater u, DataType type, LossFeedListener feed, Activation hidden) {
        return IrisRegression.net(u, type, hidden, feed);
    }

    private static boolean allFinite(INDArray a) {
        return Arrays.stream(a.toDoubleVector()).allMatch(Double::isFinite);
    }

    private static double b(MultiLayerNetwork net) {
        return AdaptiveSteps.accumulator(net).getAsDouble();
    }

    /**
     * eta = 1e20 in FLOAT: the first update throws the output weights to ~1e19 and the next loss overflows to
     * infinity. Only non-finite losses are rejected here (explosionFactor = infinity): each rejection multiplies
     * b^2 by 1e4 (a growth of 4 would need about 60 rejections, and the huge finite losses on the way would overflow
     * b^2 itself) until the loss is finite again, AdaLoss's own increment then takes over, and the run must converge.
     */
    /**
     * A ReLU MLP in FLOAT with eta = 1e11 and the default options: the first update multiplies both weight layers
     * by about 1e11, the output by about 1e22, and the next loss overflows to infinity. The recovery rejects it (and the
     * exploding finite losses on the way down), halving the step each time, and the run must then converge.
     */
    @Test
    void overshootToNonFiniteLossRecoversAndConverges() {
        DataSet ds = regression(DataType.FLOAT);
        for (IUpdater u : new IUpdater[] {new AdaLoss(1e11, 1), new AdamLoss(1e11, 1), new AdaGradNorm(1e11, 1)}) {
            LossFeedListener feed = new LossFeedListener(Recovery.builder().maxConsecutiveRejections(60).build());
            MultiLayerNetwork net = net(u, DataType.FLOAT, feed, Activation.RELU);
            double[] seen = {0};
            net.addListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
                @Override
                public void onGradientCalculation(org.deeplearning4j.nn.api.Model model) {
                    seen[0] += Double.isFinite(model.score()) ? 0 : 1;
                }
            });
            double initial = net.score(ds);
            for (int t = 0; t < 300; t++) {
                net.fit(ds);
                assertTrue(allFinite(net.params()), u + ": parameters finite after step " + t);
            }
            double last = net.score(ds);
            long recoveries = AdaptiveSteps.recoveries(net).getAsLong();
            assertTrue(seen[0] > 0, u + ": the loss overflowed at least once");
            assertTrue(recoveries > 0, u + ": the step overshot and was rejected, recoveries " + recoveries);
            assertEquals(recoveries, feed.getRecoveryCount());
            // (measured: AdaLoss 1.02 -> 0.41 in 300 steps, the first ~70 of which are spent halving the step)
            assertTrue(last < 0.5 * initial, u + ": converges after the recovery, loss " + initial + " -> " + last);
        }
    }

    /** The same overshoot with the default options (explosions are caught before they become non-finite). */
    @Test
    void defaultRecoveryCatchesTheExplosionEarly() {
        DataSet ds = regression(DataType.FLOAT);
        MultiLayerNetwork net = net(new AdaLoss(1e4, 1), DataType.FLOAT, new LossFeedListener());
        double initial = net.score(ds);
        for (int t = 0; t < 300; t++) {
            net.fit(ds);
            assertTrue(Double.isFinite(net.score()), "no non-finite loss is ever reached, step " + t);
        }
        assertTrue(AdaptiveSteps.recoveries(net).getAsLong() > 0);
        assertTrue(net.score(ds) < 0.3 * initial, initial + " -> " + net.score(ds));
    }

    /** Rejection in closed form: parameters and state back to before the step, b^2 multiplied by 4, zero update. */
    @Test
    void rejectedStepRestoresEverythingAndGrowsBSquaredByFour() {
        DataSet ds = regression(DataType.DOUBLE);
        DataSet bad = ds.copy();
        bad.getLabels().putScalar(5, 0, Double.NaN);
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.1, 1), new AdamLoss(0.01, 1), new AdaGradNorm(0.1, 1)}) {
            MultiLayerNetwork net = net(u, DataType.DOUBLE, new LossFeedListener(Recovery.builder().snapshotEvery(1)
                    .maxConsecutiveRejections(3).build()));
            net.fit(ds);
            // the snapshot is taken at each accepted step before its update: a rejection at step 2 (the loss at
            // the parameters step 1 produced) rolls back to the parameters and state from before step 1
            double[] params = net.params().toDoubleVector();
            double[] state = net.getUpdater().getStateViewArray().toDoubleVector();
            net.fit(ds);
            double b2 = b(net) * b(net);
            for (int k = 1; k <= 3; k++) {
                net.fit(bad);
                assertArrayEquals(params, net.params().toDoubleVector(), 0.0, u + ": parameters restored");
                assertEquals(b2 * Math.pow(4, k), b(net) * b(net), 1e-12 * b2 * Math.pow(4, k), u + ": b^2 x 4^" + k);
                double[] now = net.getUpdater().getStateViewArray().toDoubleVector();
                double[] stateOnly = Arrays.copyOf(state, state.length);
                // every entry but the accumulator slots is unchanged
                int differing = 0;
                for (int i = 0; i < now.length; i++) {
                    if (now[i] != stateOnly[i]) {
                        differing++;
                    }
                }
                assertTrue(differing <= 4, u + ": only the accumulator slots changed, differing " + differing);
            }
            // the give-up bound: the 4th rejection in a row throws, with the snapshot restored
            NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> net.fit(bad));
            assertTrue(e.getMessage().contains("gave up after 3 consecutive")
                    && e.getMessage().contains("rolled back to iteration 1"), e.getMessage());
            assertArrayEquals(params, net.params().toDoubleVector(), 0.0, u + ": parameters restored on give-up");
            // a good batch resets the count and trains on
            net.fit(ds);
            assertTrue(allFinite(net.params()));
            assertEquals(3, AdaptiveSteps.recoveries(net).getAsLong());
        }
    }

    /** snapshotEvery = K rolls back to the last snapshot, up to K steps. */
    @Test
    void rollbackGoesToTheLastSnapshot() {
        DataSet ds = regression(DataType.DOUBLE);
        DataSet bad = ds.copy();
        bad.getLabels().putScalar(0, 0, Double.POSITIVE_INFINITY);
        MultiLayerNetwork net = net(new AdaLoss(0.1, 1), DataType.DOUBLE,
                new LossFeedListener(Recovery.builder().snapshotEvery(3).build()));
        double[] atSnapshot = null;
        for (int t = 0; t < 5; t++) {
            if (t == 3) {
                atSnapshot = net.params().toDoubleVector();
            }
            net.fit(ds);
        }
        net.fit(bad);
        assertArrayEquals(atSnapshot, net.params().toDoubleVector(), 0.0, "rolled back to the snapshot of step 3");
    }

    @Test
    void failFastThrowsAndLeavesParametersAndStateUnchanged() {
        DataSet ds = regression(DataType.DOUBLE);
        DataSet bad = ds.copy();
        bad.getLabels().putScalar(5, 0, Double.NaN);
        for (IUpdater u : new IUpdater[] {new AdaLoss(0.1, 1), new AdamLoss(0.01, 1), new AdaGradNorm(0.1, 1)}) {
            MultiLayerNetwork net = net(u, DataType.DOUBLE, new LossFeedListener(Recovery.failFast()));
            net.fit(ds);
            INDArray params = net.params().dup();
            INDArray state = net.getUpdater().getStateViewArray().dup();
            assertThrows(NonFiniteValueException.class, () -> net.fit(bad), u::toString);
            assertEquals(params, net.params());
            assertEquals(state, net.getUpdater().getStateViewArray());
        }
    }

    /** Without overshoot the recovery changes nothing: bit-identical to fail-fast training. */
    @Test
    void recoveryIsInvisibleWithoutOvershoot() {
        DataSet ds = regression(DataType.FLOAT);
        MultiLayerNetwork a = net(new AdamLoss(0.05, 1), DataType.FLOAT, new LossFeedListener());
        MultiLayerNetwork b = net(new AdamLoss(0.05, 1), DataType.FLOAT, new LossFeedListener(Recovery.failFast()));
        for (int t = 0; t < 25; t++) {
            a.fit(ds);
            b.fit(ds);
        }
        assertArrayEquals(b.params().toFloatVector(), a.params().toFloatVector(), 0f);
        assertEquals(0, AdaptiveSteps.recoveries(a).getAsLong());
    }

    /** ModelSerializer save/restore with recovery on (and a recovery before the save): continues bit-identically. */
    @Test
    void checkpointsStayBitExactWithRecoveryOn() throws IOException {
        DataSet ds = regression(DataType.FLOAT);
        DataSet bad = ds.copy();
        bad.getLabels().putScalar(1, 0, Double.NaN);
        MultiLayerNetwork a = net(new AdaLoss(0.5, 0.1), DataType.FLOAT, new LossFeedListener());
        for (int t = 0; t < 4; t++) {
            a.fit(t == 2 ? bad : ds);
        }
        assertEquals(1, AdaptiveSteps.recoveries(a).getAsLong());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(a, bytes, true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()),
                true);
        b.addListeners(new LossFeedListener());
        for (int t = 0; t < 6; t++) {
            a.fit(ds);
            b.fit(ds);
        }
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector(), 0f);
        assertArrayEquals(a.getUpdater().getStateViewArray().toFloatVector(),
                b.getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    /** The listener is Serializable with its options (Spark ships it to executors). */
    @Test
    void listenerSerializesWithItsOptions() throws Exception {
        Recovery r = Recovery.builder().explosionFactor(7).bGrowth(9).snapshotEvery(2).maxConsecutiveRejections(5)
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new LossFeedListener(r));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            LossFeedListener copy = (LossFeedListener) in.readObject();
            assertEquals(r, copy.getRecovery());
        }
    }

    @Test
    void badOptionsNameTheFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recovery.builder().bGrowth(0.5).build());
        assertTrue(e.getMessage().contains("bGrowth") && e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recovery.builder().snapshotEvery(0).build());
        assertTrue(e.getMessage().contains("snapshotEvery") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recovery.builder().explosionFactor(1).build());
        assertTrue(e.getMessage().contains("explosionFactor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Recovery.builder().maxConsecutiveRejections(0).build());
        assertTrue(e.getMessage().contains("maxConsecutiveRejections"), e.getMessage());
    }
}
