package io.github.adaloss.experiments.practitioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.adaloss.updater.AdaGradNorm;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdamLoss;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Same seed, same start: identical initial parameters and mini-batch order whatever the optimizer. */
class SameStartTest {

    private static final List<IUpdater> UPDATERS = List.of(new Nesterovs(0.01, 0.9), new Adam(1e-3),
            new Sgd(0.1), new AdaLoss(), new AdaGradNorm(), new AdamLoss());

    @Test
    void everyConfigurationStartsFromTheSameParametersForEveryUpdater() throws Exception {
        for (Workload w : List.of(new LstmWorkload(new Budget(450, 150, 1)), new RegressionWorkload(
                new Budget(100, 50, 1)), new LeNetWorkload(null, new Budget(1, 1, 1)),
                new ResNetWorkload(null, new Budget(1, 1, 1)), new MlpWorkload(null, new Budget(1, 1, 1)))) {
            Model first = w.build(UPDATERS.get(0), 5);
            for (IUpdater u : UPDATERS) {
                assertEquals(first.params(), w.build(u, 5).params(), w.id() + " with " + u);
            }
            assertNotEquals(first.params(), w.build(UPDATERS.get(0), 6).params(), w.id() + ": seed 6 differs");
        }
    }

    @Test
    void sameSeedSameBatchOrderAndEveryExampleOncePerEpoch() {
        DataSet all = new DataSet(Nd4j.arange(10).reshape(10, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Nd4j.zeros(10, 1));
        List<DataSet> a = Batches.shuffled(all, 4, 2, 3);
        List<DataSet> b = Batches.shuffled(all, 4, 2, 3);
        assertEquals(6, a.size());
        assertEquals(2, a.get(2).numExamples());
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getFeatures(), b.get(i).getFeatures());
            sum += a.get(i).getFeatures().sumNumber().doubleValue();
        }
        assertEquals(2 * 45, sum, 0);
        assertNotEquals(Batches.shuffled(all, 10, 1, 3).get(0).getFeatures(),
                Batches.shuffled(all, 10, 1, 4).get(0).getFeatures());
    }

    @Test
    void runnerFeedsTheSameFirstBatchToEveryOptimizerAndRecordsCrashesWithoutThrowing() throws Exception {
        RegressionWorkload w = new RegressionWorkload(new Budget(200, 50, 1));
        Workload.Data d = w.data(1);
        PracticeRun adam = Runner.run(w, d, new OptimizerSpec("Adam", "lr", 1e-3, 1e-3, Double.NaN, new Adam(1e-3)), 1);
        PracticeRun ada = Runner.run(w, d, new OptimizerSpec("AdaLoss", "default", Double.NaN, 1, 1, new AdaLoss()), 1);
        // two batches: the first tenth is the first update's loss, measured at the common initial parameters
        assertEquals(2, adam.updates());
        assertEquals(adam.initialLoss(), ada.initialLoss(), 0);
        assertEquals("ok", ada.status());
        MultiLayerNetwork probe = (MultiLayerNetwork) w.build(new Adam(1e-3), 1);
        assertEquals(probe.score(d.batches().get(0)), adam.initialLoss(), 1e-4 * adam.initialLoss());

        Workload broken = new Workload() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public String source() {
                return "";
            }

            @Override
            public boolean regression() {
                return true;
            }

            @Override
            public IUpdater publishedUpdater() {
                return new Sgd(1);
            }

            @Override
            public Model build(IUpdater updater, long seed) {
                throw new IllegalStateException("boom");
            }

            @Override
            public Data data(long seed) {
                return d;
            }

            @Override
            public boolean heavy() {
                return false;
            }
        };
        PracticeRun crashed = Runner.run(broken, d, new OptimizerSpec("SGD", "lr", 1, 1, Double.NaN, new Sgd(1)), 1);
        assertEquals("crashed", crashed.status());
        assertEquals("IllegalStateException: boom", crashed.error());
        assertEquals(Double.NaN, crashed.metric());
    }

    @Test
    void aRejectedNonFiniteStepIsNotADivergenceButAPlainNonFiniteLossIs() throws Exception {
        RegressionWorkload w = new RegressionWorkload(new Budget(1000, 50, 1));
        Workload.Data clean = w.data(1);
        List<DataSet> batches = new java.util.ArrayList<>(clean.batches());
        int n = batches.size();
        assertTrue(n >= 4, n + " batches");
        DataSet nan = batches.get(2).copy();
        nan.getFeatures().assign(Double.NaN);
        batches.set(2, nan);
        Workload.Data d = new Workload.Data(batches, clean.test(), clean.targetStd());
        // AdaLoss: the loss feed rejects the NaN step and rolls back; the run goes on to the end
        PracticeRun ada = Runner.run(w, d, new OptimizerSpec("AdaLoss", "default", Double.NaN, 1, 1, new AdaLoss()), 1);
        assertEquals("ok", ada.status());
        assertEquals(n, ada.updates());
        assertEquals(1, ada.recoveries());
        assertTrue(Double.isFinite(ada.finalLoss()) && Double.isFinite(ada.initialLoss()), ada.toString());
        assertTrue(Double.isFinite(ada.metric()), ada.toString());
        // SGD has no loss feed: the NaN loss ends the run as diverged at that batch
        PracticeRun sgd = Runner.run(w, d, new OptimizerSpec("SGD", "lr", 1e-3, 1e-3, Double.NaN, new Sgd(1e-3)), 1);
        assertEquals("diverged", sgd.status());
        assertEquals(3, sgd.updates());
    }
}
