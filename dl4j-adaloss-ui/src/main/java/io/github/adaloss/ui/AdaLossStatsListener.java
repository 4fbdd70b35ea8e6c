package io.github.adaloss.ui;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaptiveSteps;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.core.util.UIDProvider;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.ui.model.storage.impl.JavaStorageMetaData;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the AdaLoss-family state and the NTK spectrum of a training run into a DL4J {@link StatsStorageRouter}
 * ({@code InMemoryStatsStorage}, {@code FileStatsStorage}, {@code RemoteUIStatsStorageRouter}), under its own type
 * ID {@value #TYPE_ID}, as DL4J's {@code StatsListener} records its statistics; {@link AdaLossUIModule} draws them
 * in DL4J's training UI.
 *
 * <p>Records: one {@link AdaLossStaticInfo} at the first callback, then one {@link AdaLossReport} in
 * {@code iterationDone} every {@code reportEvery} iterations, holding the accumulator {@code b_t}, the step
 * {@code eta / b_t} and the count of rejected steps as {@link AdaptiveSteps} reads them back after that update
 * (NaN / -1 when the network has no AdaLoss-family updater), and {@code model.score()}. With an
 * {@link NtkSpectrumListener} given to the builder, this listener drives it (forwards every callback to it, before
 * its own work; do not also add it to the network), and every snapshot it takes is posted in the next record: at
 * the next {@code iterationDone} (posted even between intervals), or at the epoch end for an epoch-end snapshot (a
 * record marked {@link AdaLossReport#isEpochEnd()}).
 *
 * <p>Session and worker: unless set on the builder, they are taken from a DL4J {@code StatsListener} (any
 * {@link RoutingIterationListener}) on the same network that posts to the same router, so that both listeners'
 * records are one session in the UI; otherwise a random session ID and DL4J's default worker ID (JVM UID and thread
 * ID). Timestamps are strictly increasing per listener (DL4J's storages keep one update per timestamp and worker:
 * two records in the same millisecond would otherwise overwrite each other).
 *
 * <p>Attach one instance to one network (not thread-safe, not for ParallelWrapper workers nor Spark).
 */
public final class AdaLossStatsListener extends BaseTrainingListener {

    /** Type ID of this listener's records in a {@code StatsStorage}. */
    public static final String TYPE_ID = "AdaLossListener";

    /** Default reporting interval: every iteration (a record is about 100 bytes without NTK snapshots). */
    public static final int DEFAULT_REPORT_EVERY = 1;

    private static final Logger log = LoggerFactory.getLogger(AdaLossStatsListener.class);

    private final StatsStorageRouter router;
    private final int reportEvery;
    private final NtkSpectrumListener ntk;
    private String sessionId;
    private String workerId;

    private Model boundTo;
    private long lastTimeStamp = Long.MIN_VALUE;
    private int ntkPosted;

    private AdaLossStatsListener(Builder b) {
        this.router = b.router;
        this.reportEvery = b.reportEvery;
        this.ntk = b.ntk;
        this.sessionId = b.sessionId;
        this.workerId = b.workerId;
    }

    /**
     * A listener with the defaults: every iteration, no NTK, session and worker from a StatsListener on the same
     * network (else new ones).
     *
     * @param router where to post the records (a {@code StatsStorage} attached to the UI, or a remote router)
     */
    public AdaLossStatsListener(StatsStorageRouter router) {
        this(builder(router));
    }

    /**
     * @param router where to post the records
     * @return a builder
     */
    public static Builder builder(StatsStorageRouter router) {
        return new Builder(router);
    }

    /** @return the session ID of the records (null before the first callback unless set on the builder) */
    public String getSessionID() {
        return sessionId;
    }

    /** @return the worker ID of the records (null before the first callback unless set on the builder) */
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public void onEpochStart(Model model) {
        bind(model);
        if (ntk != null) {
            ntk.onEpochStart(model);
        }
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (ntk != null) {
            ntk.onForwardPass(model, activations);
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (ntk != null) {
            ntk.onForwardPass(model, activations);
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        bind(model);
        if (ntk != null) {
            ntk.onGradientCalculation(model);
        }
    }

    @Override
    public void onBackwardPass(Model model) {
        if (ntk != null) {
            ntk.onBackwardPass(model);
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        bind(model);
        if (ntk != null) {
            ntk.iterationDone(model, iteration, epoch);
        }
        List<NtkSnapshot> fresh = freshSnapshots();
        if (iteration % reportEvery == 0 || !fresh.isEmpty()) {
            post(model, iteration, epoch, false, fresh);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        bind(model);
        if (ntk != null) {
            ntk.onEpochEnd(model);
        }
        List<NtkSnapshot> fresh = freshSnapshots();
        if (!fresh.isEmpty()) {
            post(model, iterationCount(model), epochCount(model), true, fresh);
        }
    }

    private List<NtkSnapshot> freshSnapshots() {
        if (ntk == null || ntk.history().size() == ntkPosted) {
            return List.of();
        }
        List<NtkSnapshot> h = ntk.history();
        List<NtkSnapshot> fresh = List.copyOf(h.subList(ntkPosted, h.size()));
        ntkPosted = h.size();
        return fresh;
    }

    private void post(Model model, int iteration, int epoch, boolean epochEnd, List<NtkSnapshot> snapshots) {
        OptionalDouble b = AdaptiveSteps.accumulator(model);
        OptionalDouble step = AdaptiveSteps.currentStep(model);
        OptionalLong recoveries = AdaptiveSteps.recoveries(model);
        router.putUpdate(new AdaLossReport(sessionId, workerId, nextTimeStamp(), iteration, epoch, model.score(),
                b.orElse(Double.NaN), step.orElse(Double.NaN), recoveries.orElse(-1), epochEnd, snapshots));
    }

    private long nextTimeStamp() {
        lastTimeStamp = Math.max(System.currentTimeMillis(), lastTimeStamp == Long.MIN_VALUE ? 0 : lastTimeStamp + 1);
        return lastTimeStamp;
    }

    private void bind(Model model) {
        if (boundTo == model) {
            return;
        }
        if (boundTo != null) {
            throw new IllegalStateException("AdaLossStatsListener is bound to another network; use one listener per "
                    + "network");
        }
        Collection<TrainingListener> listeners = listenersOf(model);
        if (ntk != null && listeners.contains(ntk)) {
            throw new IllegalStateException("the NtkSpectrumListener given to AdaLossStatsListener is also a listener "
                    + "of the network: remove it from setListeners (AdaLossStatsListener drives it)");
        }
        for (TrainingListener l : listeners) {
            if (l instanceof RoutingIterationListener r && r.getStorageRouter() == router) {
                sessionId = sessionId == null ? r.getSessionID() : sessionId;
                workerId = workerId == null ? r.getWorkerID() : workerId;
            }
        }
        sessionId = sessionId == null ? UUID.randomUUID().toString() : sessionId;
        workerId = workerId == null ? UIDProvider.getJVMUID() + "_" + Thread.currentThread().getId() : workerId;
        boundTo = model;
        long t = nextTimeStamp();
        router.putStorageMetaData(new JavaStorageMetaData(t, sessionId, TYPE_ID, workerId, AdaLossStaticInfo.class,
                AdaLossReport.class));
        router.putStaticInfo(new AdaLossStaticInfo(sessionId, workerId, t, model.getClass().getName(),
                model.numParams(), updaterOf(model), reportEvery, ntk == null ? 0 : ntk.probeSize()));
        log.info("AdaLossStatsListener: session {}, worker {}", sessionId, workerId);
    }

    private static Collection<TrainingListener> listenersOf(Model model) {
        Collection<TrainingListener> l = model instanceof MultiLayerNetwork m ? m.getListeners()
                : model instanceof ComputationGraph g ? g.getListeners() : null;
        return l == null ? List.of() : l;
    }

    private static String updaterOf(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork m ? m.getLayers()
                : model instanceof ComputationGraph g ? g.getLayers() : new Layer[0];
        for (Layer l : layers) {
            if (l.conf() != null && l.conf().getLayer() instanceof BaseLayer bl && bl.getIUpdater() != null
                    && l.numParams() > 0) {
                return bl.getIUpdater().toString();
            }
        }
        return "";
    }

    private static int iterationCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getIterationCount() : ((ComputationGraph) model).getIterationCount();
    }

    private static int epochCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getEpochCount() : ((ComputationGraph) model).getEpochCount();
    }

    /** Builder of an {@link AdaLossStatsListener}. */
    public static final class Builder {
        private final StatsStorageRouter router;
        private int reportEvery = DEFAULT_REPORT_EVERY;
        private NtkSpectrumListener ntk;
        private String sessionId;
        private String workerId;

        private Builder(StatsStorageRouter router) {
            if (router == null) {
                throw new IllegalArgumentException("router must not be null");
            }
            this.router = router;
        }

        /**
         * @param n post a record every n iterations (n &gt;= 1; default {@value AdaLossStatsListener#DEFAULT_REPORT_EVERY});
         *          NTK snapshots are posted when taken regardless
         * @return this
         */
        public Builder reportEvery(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("reportEvery must be >= 1, got " + n);
            }
            this.reportEvery = n;
            return this;
        }

        /**
         * @param listener an NTK listener for the same network, driven by this listener (do not add it to the
         *                 network as well); null: no NTK records
         * @return this
         */
        public Builder ntk(NtkSpectrumListener listener) {
            this.ntk = listener;
            return this;
        }

        /** @param id session ID (default: the StatsListener's on the same router, else a random UUID) @return this */
        public Builder sessionId(String id) {
            this.sessionId = id;
            return this;
        }

        /** @param id worker ID (default: the StatsListener's on the same router, else DL4J's default) @return this */
        public Builder workerId(String id) {
            this.workerId = id;
            return this;
        }

        /** @return the listener */
        public AdaLossStatsListener build() {
            return new AdaLossStatsListener(this);
        }
    }
}
