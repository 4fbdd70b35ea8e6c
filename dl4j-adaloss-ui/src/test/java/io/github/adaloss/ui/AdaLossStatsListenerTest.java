package io.github.adaloss.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import io.github.adaloss.updater.Recovery;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** What AdaLossStatsListener writes to InMemoryStatsStorage and FileStatsStorage, and what the UI module reads. */
class AdaLossStatsListenerTest {

    private static List<AdaLossReport> reports(StatsStorage ss, String session, String worker) {
        List<AdaLossReport> out = new ArrayList<>();
        for (Persistable p : ss.getAllUpdatesAfter(session, AdaLossStatsListener.TYPE_ID, worker, Long.MIN_VALUE)) {
            out.add((AdaLossReport) p);
        }
        return out;
    }

    /**
     * Every iteration recorded (timestamps made unique although iterations take well under a millisecond's worth of
     * storage time), and the recorded b_t, eta/b_t and losses obey AdaLoss' recurrence b_{t+1}^2 = b_t^2 + l_t,
     * b_0 = b0, step = eta / b_{t+1}, computed here from the recorded losses only.
     */
    @Test
    void inMemoryRecordsFollowTheAdaLossRecurrence() {
        double eta = 0.05;
        double b0 = 0.7;
        MultiLayerNetwork net = TinyRun.net(new AdaLoss(eta, b0), DataType.DOUBLE, Activation.TANH);
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        net.setListeners(new LossFeedListener(), ui);
        DataSet ds = TinyRun.data(64, 3, DataType.DOUBLE);
        int iterations = 40;
        for (int i = 0; i < iterations; i++) {
            net.fit(ds);
        }
        List<AdaLossReport> r = reports(ss, ui.getSessionID(), ui.getWorkerID());
        assertEquals(iterations, r.size());
        double b2 = b0 * b0;
        for (int t = 0; t < iterations; t++) {
            AdaLossReport rep = r.get(t);
            assertEquals(t, rep.getIteration());
            assertTrue(rep.getLoss() > 0);
            b2 += rep.getLoss();
            assertEquals(Math.sqrt(b2), rep.getAccumulator(), 1e-12 * Math.sqrt(b2), "b at " + t);
            assertEquals(eta / Math.sqrt(b2), rep.getStep(), 1e-12 * eta / Math.sqrt(b2), "step at " + t);
            assertEquals(0, rep.getRecoveries());
            assertTrue(rep.getNtkSnapshots().isEmpty());
        }
        assertEquals(Math.sqrt(b2), AdaptiveSteps.accumulator(net).getAsDouble(), 1e-12);

        AdaLossStaticInfo info = (AdaLossStaticInfo) ss.getStaticInfo(ui.getSessionID(), AdaLossStatsListener.TYPE_ID,
                ui.getWorkerID());
        assertEquals(3 * 16 + 16 + 16 + 1, info.getNumParams());
        assertEquals(MultiLayerNetwork.class.getName(), info.getModelClassName());
        assertEquals(new AdaLoss(eta, b0).toString(), info.getUpdater());
        assertEquals(1, info.getReportEvery());
        assertEquals(0, info.getNtkProbeSize());
        assertEquals(AdaLossStaticInfo.class.getName(),
                ss.getStorageMetaData(ui.getSessionID(), AdaLossStatsListener.TYPE_ID).getInitTypeClass());
    }

    /**
     * NTK snapshots at iterations 0 and 5 and at both epoch ends, records every 4 iterations, FileStatsStorage closed
     * and reopened: the reopened records carry exactly NtkSpectrumListener's history and AdaptiveSteps' values, and
     * the UI module's series (what the page draws) hold the same numbers.
     */
    @Test
    void fileStorageReopenedHoldsNtkHistoryAndSteps(@TempDir Path dir) {
        File file = dir.resolve("run.dl4j").toFile();
        MultiLayerNetwork net = TinyRun.net(new AdaLoss(0.05, 1.0), DataType.DOUBLE, Activation.TANH);
        DataSet ds = TinyRun.data(40, 4, DataType.DOUBLE);
        NtkSpectrumListener ntk = NtkSpectrumListener.builder(ds.getFeatures().getRows(0, 1, 2, 3, 4, 5))
                .everyIterations(5).stepSize(m -> AdaptiveSteps.currentStep(m).orElse(Double.NaN)).build();
        FileStatsStorage fs = new FileStatsStorage(file);
        AdaLossStatsListener ui = AdaLossStatsListener.builder(fs).reportEvery(4).ntk(ntk).sessionId("run-1")
                .workerId("w0").build();
        TinyRun.Reference ref = new TinyRun.Reference();
        net.setListeners(new LossFeedListener(), ui, ref);
        net.fit(TinyRun.batches(ds, 8), 2);
        fs.close();

        List<NtkSnapshot> history = ntk.history();
        assertEquals(List.of(0, 5, 5, 10), history.stream().map(NtkSnapshot::iteration).toList());

        FileStatsStorage reopened = new FileStatsStorage(file);
        List<AdaLossReport> r = reports(reopened, "run-1", "w0");
        assertEquals(List.of(0, 4, 5, 5, 8, 10), r.stream().map(AdaLossReport::getIteration).toList());
        assertEquals(List.of(false, false, true, false, false, true), r.stream().map(AdaLossReport::isEpochEnd).toList());
        List<NtkSnapshot> recorded = new ArrayList<>();
        r.forEach(x -> recorded.addAll(x.getNtkSnapshots()));
        assertEquals(history, recorded);
        for (AdaLossReport x : r) {
            if (!x.isEpochEnd()) {
                int k = ref.indexOf(x.getIteration());
                assertEquals(ref.accumulator.get(k), x.getAccumulator(), 0.0);
                assertEquals(ref.step.get(k), x.getStep(), 0.0);
                assertEquals(ref.loss.get(k), x.getLoss(), 0.0);
            }
        }
        assertEquals(6, ((AdaLossStaticInfo) reopened.getStaticInfo("run-1", AdaLossStatsListener.TYPE_ID, "w0"))
                .getNtkProbeSize());

        AdaLossUIModule module = new AdaLossUIModule();
        module.onAttach(reopened);
        assertEquals("run-1", module.sessionList().get("latest"));
        Map<String, Object> d = module.data("run-1", null, 0, -1, AdaLossUIModule.DEFAULT_MAX_POINTS);
        assertNotNull(d);
        assertEquals(List.of(0, 4, 5, 8), d.get("iteration"));
        assertEquals(List.of(ref.accumulator.get(0), ref.accumulator.get(4), ref.accumulator.get(5),
                ref.accumulator.get(8)), d.get("accumulator"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ntkSeries = (Map<String, Object>) d.get("ntk");
        assertEquals(history.stream().map(NtkSnapshot::lambdaMax).toList(), ntkSeries.get("lambdaMax"));
        assertEquals(history.stream().map(NtkSnapshot::kernelDrift).toList(), ntkSeries.get("kernelDrift"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spectrum = (Map<String, Object>) d.get("spectrum");
        assertEquals(3, spectrum.get("index"));
        List<Double> eig = new ArrayList<>();
        for (double v : history.get(3).eigenvalues()) {
            eig.add(v);
        }
        assertEquals(eig, spectrum.get("eigenvalues"));
        reopened.close();
    }

    /**
     * A step size of 1e11 makes the loss overflow (as in dl4j-adaloss's RecoveryTest): the recorded count of rejected
     * steps is what AdaptiveSteps and the loss feed report, per iteration and in total.
     */
    @Test
    void rejectedStepsAreRecorded() {
        MultiLayerNetwork net = TinyRun.net(new AdaLoss(1e11, 1), DataType.FLOAT, Activation.RELU);
        LossFeedListener feed = new LossFeedListener(Recovery.builder().maxConsecutiveRejections(60).build());
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        TinyRun.Reference ref = new TinyRun.Reference();
        net.setListeners(feed, ui, ref);
        DataSet ds = TinyRun.data(32, 5, DataType.FLOAT);
        for (int i = 0; i < 30; i++) {
            net.fit(ds);
        }
        List<AdaLossReport> r = reports(ss, ui.getSessionID(), ui.getWorkerID());
        assertEquals(ref.iteration.size(), r.size());
        for (int k = 0; k < r.size(); k++) {
            assertEquals(ref.recoveries.get(k), r.get(k).getRecoveries());
            assertEquals(ref.accumulator.get(k), r.get(k).getAccumulator(), 0.0);
        }
        long last = r.get(r.size() - 1).getRecoveries();
        assertTrue(last > 0, "expected rejected steps, got " + last);
        assertEquals(feed.getRecoveryCount(), last);
    }

    /**
     * DL4J's storages keep one update per worker and timestamp: 2000 records posted within a few milliseconds must
     * all survive (they would overwrite each other with plain System.currentTimeMillis() timestamps).
     */
    @Test
    void recordsPostedInTheSameMillisecondAreAllKept() {
        MultiLayerNetwork net = TinyRun.net(new AdaLoss(0.05, 1.0), DataType.DOUBLE, Activation.TANH);
        net.setListeners(new LossFeedListener());
        net.fit(TinyRun.data(8, 9, DataType.DOUBLE));
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        int n = 2000;
        for (int i = 0; i < n; i++) {
            ui.iterationDone(net, i, 0);
        }
        List<AdaLossReport> r = reports(ss, ui.getSessionID(), ui.getWorkerID());
        assertEquals(n, r.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, r.get(i).getIteration());
        }
    }

    @Test
    void adoptsTheSessionAndWorkerOfAStatsListenerOnTheSameStorage() {
        MultiLayerNetwork net = TinyRun.net(new AdaLoss(0.05, 1.0), DataType.DOUBLE, Activation.TANH);
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        StatsListener stats = new StatsListener(ss);
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        net.setListeners(new LossFeedListener(), stats, ui);
        net.fit(TinyRun.data(16, 6, DataType.DOUBLE));
        assertEquals(stats.getSessionID(), ui.getSessionID());
        assertEquals(stats.getWorkerID(), ui.getWorkerID());
        assertEquals(List.of(ui.getSessionID()), ss.listSessionIDs());
        assertTrue(ss.listTypeIDsForSession(ui.getSessionID()).containsAll(List.of(StatsListener.TYPE_ID,
                AdaLossStatsListener.TYPE_ID)));
    }

    @Test
    void refusesBadInputAndDoubleRegistration() {
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdaLossStatsListener.builder(ss).reportEvery(0));
        assertTrue(e.getMessage().contains("reportEvery") && e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdaLossStatsListener.builder(null));

        MultiLayerNetwork net = TinyRun.net(new AdaLoss(0.05, 1.0), DataType.DOUBLE, Activation.TANH);
        DataSet ds = TinyRun.data(8, 7, DataType.DOUBLE);
        NtkSpectrumListener ntk = NtkSpectrumListener.builder(ds.getFeatures()).build();
        net.setListeners(new LossFeedListener(), ntk, AdaLossStatsListener.builder(ss).ntk(ntk).build());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> net.fit(ds));
        assertTrue(s.getMessage().contains("NtkSpectrumListener"), s.getMessage());
        assertTrue(ss.listSessionIDs().isEmpty());
    }

    /** A ComputationGraph: every iteration recorded with its epoch, and the AdaLoss recurrence holds. */
    @Test
    void computationGraphRecordsFollowTheRecurrence() {
        double eta = 0.05;
        double b0 = 1.5;
        ComputationGraph g = new ComputationGraph(
                new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                        .updater(new AdaLoss(eta, b0)).graphBuilder().addInputs("in")
                        .addLayer("h", new DenseLayer.Builder().nIn(3).nOut(8)
                                .activation(Activation.TANH).build(), "in")
                        .addLayer("out", new OutputLayer.Builder(
                                LossFunctions.LossFunction.MSE).nIn(8).nOut(1)
                                .activation(Activation.IDENTITY).build(), "h")
                        .setOutputs("out").build());
        g.init();
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        g.setListeners(new LossFeedListener(), ui);
        g.fit(TinyRun.batches(TinyRun.data(40, 10, DataType.DOUBLE), 8), 2);
        List<AdaLossReport> r = reports(ss, ui.getSessionID(), ui.getWorkerID());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), r.stream().map(AdaLossReport::getIteration).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), r.stream().map(AdaLossReport::getEpoch).toList());
        double b2 = b0 * b0;
        for (AdaLossReport rep : r) {
            b2 += rep.getLoss();
            assertEquals(Math.sqrt(b2), rep.getAccumulator(), 1e-12 * Math.sqrt(b2));
        }
        assertEquals(ComputationGraph.class.getName(),
                ((AdaLossStaticInfo) ss.getStaticInfo(ui.getSessionID(), AdaLossStatsListener.TYPE_ID,
                        ui.getWorkerID())).getModelClassName());
    }

    /** Without an AdaLoss-family updater the records say so: NaN step and accumulator, -1 rejections. */
    @Test
    void otherUpdatersGiveNaN() {
        MultiLayerNetwork net = TinyRun.net(new Sgd(0.01), DataType.DOUBLE,
                Activation.TANH);
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        AdaLossStatsListener ui = new AdaLossStatsListener(ss);
        net.setListeners(ui);
        net.fit(TinyRun.data(8, 8, DataType.DOUBLE));
        AdaLossReport r = reports(ss, ui.getSessionID(), ui.getWorkerID()).get(0);
        assertTrue(Double.isNaN(r.getAccumulator()) && Double.isNaN(r.getStep()));
        assertEquals(-1, r.getRecoveries());
        Map<String, Object> d = AdaLossSeries.of(List.of(r), -1, 10);
        assertEquals(Collections.singletonList(null), d.get("step"));
        assertEquals(Collections.singletonList(null), d.get("recoveries"));
    }
}
