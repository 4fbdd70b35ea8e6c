package io.github.adaloss.ui;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DL4J UI module (found by {@code VertxUIServer} through {@code ServiceLoader}) that serves the records of
 * {@link AdaLossStatsListener} as live charts, in the look of DL4J's training pages.
 *
 * <p>Routes:
 * <ul>
 *   <li>{@code GET /adaloss}: the page (accumulator, step with the NTK stability edge, rejected steps, lambda_min
 *       and lambda_max, kernel drift, eigenvalue spectrum of one snapshot); it polls the data every 2 s and follows
 *       DL4J's current session ({@code /train/sessions/current}) when that session has AdaLoss records;
 *       {@code ?session=ID} selects a session;</li>
 *   <li>{@code GET /adaloss/sessions}: JSON, the sessions with AdaLoss records, their workers (sorted, as DL4J's
 *       worker indices are) and static info, and the latest session;</li>
 *   <li>{@code GET /adaloss/data/:sessionId}: JSON, the series of {@link AdaLossSeries} for one worker (query
 *       {@code worker}: worker ID, or {@code workerIdx}: index; default the first), with query {@code snapshot}
 *       (NTK snapshot whose spectrum to include, default -1: the latest) and {@code maxPoints} (default
 *       {@value #DEFAULT_MAX_POINTS}).</li>
 * </ul>
 * Decoded records are cached per session and worker; each request reads only the records newer than the cache.
 */
public final class AdaLossUIModule implements UIModule {

    /** Default most points per per-iteration series in a data response. */
    public static final int DEFAULT_MAX_POINTS = 2000;

    private static final Logger log = LoggerFactory.getLogger(AdaLossUIModule.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, StatsStorage> sessions = new LinkedHashMap<>();
    private final Map<String, Cache> caches = new HashMap<>();
    private final String page = resource("adaloss.html");
    private final String script = resource("adaloss.js");

    /** Created by DL4J's UI server (ServiceLoader). */
    public AdaLossUIModule() {
    }

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of(AdaLossStatsListener.TYPE_ID);
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route("/adaloss", HttpMethod.GET, (p, rc) -> send(rc, "text/html; charset=utf-8", page)),
                new Route("/adaloss/adaloss.js", HttpMethod.GET,
                        (p, rc) -> send(rc, "application/javascript; charset=utf-8", script)),
                new Route("/adaloss/sessions", HttpMethod.GET, (p, rc) -> sendJson(rc, sessionList())),
                new Route("/adaloss/data/:sessionId", HttpMethod.GET, (p, rc) -> data(p.get(0), rc)));
    }

    @Override
    public synchronized void reportStorageEvents(Collection<StatsStorageEvent> events) {
        for (StatsStorageEvent e : events) {
            if (AdaLossStatsListener.TYPE_ID.equals(e.getTypeID()) && !sessions.containsKey(e.getSessionID())) {
                sessions.put(e.getSessionID(), e.getStatsStorage());
                log.info("AdaLoss UI: session {}", e.getSessionID());
            }
        }
    }

    @Override
    public synchronized void onAttach(StatsStorage storage) {
        for (String id : storage.listSessionIDs()) {
            if (storage.listTypeIDsForSession(id).contains(AdaLossStatsListener.TYPE_ID)) {
                sessions.putIfAbsent(id, storage);
            }
        }
    }

    @Override
    public synchronized void onDetach(StatsStorage storage) {
        sessions.values().removeIf(s -> s == storage);
        caches.values().removeIf(c -> c.storage == storage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return Collections.emptyList();
    }

    /** @return sessions with AdaLoss records: id, workers, static info; and the latest (by static info time) */
    synchronized Map<String, Object> sessionList() {
        List<Object> list = new ArrayList<>();
        String latest = null;
        long latestTime = Long.MIN_VALUE;
        for (Map.Entry<String, StatsStorage> e : sessions.entrySet()) {
            List<String> workers = workers(e.getValue(), e.getKey());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", e.getKey());
            s.put("workers", workers);
            List<Object> infos = new ArrayList<>();
            for (String w : workers) {
                if (e.getValue().getStaticInfo(e.getKey(), AdaLossStatsListener.TYPE_ID, w) instanceof AdaLossStaticInfo i) {
                    infos.add(info(i));
                    if (i.getTimeStamp() > latestTime) {
                        latestTime = i.getTimeStamp();
                        latest = e.getKey();
                    }
                }
            }
            s.put("info", infos);
            list.add(s);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessions", list);
        out.put("latest", latest);
        return out;
    }

    /**
     * @param sessionId session ID
     * @param worker    worker ID, or null for the one at {@code workerIdx}
     * @param workerIdx index in the sorted worker IDs (used when {@code worker} is null)
     * @param snapshot  NTK snapshot for the spectrum (negative: from the end)
     * @param maxPoints most points per series
     * @return the data response, or null if the session or worker is unknown
     */
    synchronized Map<String, Object> data(String sessionId, String worker, int workerIdx, int snapshot,
                                          int maxPoints) {
        StatsStorage storage = sessions.get(sessionId);
        if (storage == null) {
            return null;
        }
        List<String> workers = workers(storage, sessionId);
        String w = worker != null ? worker : workerIdx >= 0 && workerIdx < workers.size() ? workers.get(workerIdx) : null;
        if (w == null || !workers.contains(w)) {
            return null;
        }
        Cache c = caches.computeIfAbsent(sessionId + "\u0000" + w, k -> new Cache(storage));
        for (Persistable p : storage.getAllUpdatesAfter(sessionId, AdaLossStatsListener.TYPE_ID, w, c.lastTimeStamp)) {
            if (p instanceof AdaLossReport r && r.getTimeStamp() > c.lastTimeStamp) {
                c.reports.add(r);
                c.lastTimeStamp = r.getTimeStamp();
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", sessionId);
        out.put("workerId", w);
        out.put("workers", workers);
        Persistable info = storage.getStaticInfo(sessionId, AdaLossStatsListener.TYPE_ID, w);
        out.put("info", info instanceof AdaLossStaticInfo i ? info(i) : null);
        out.put("lastUpdate", c.lastTimeStamp == Long.MIN_VALUE ? null : c.lastTimeStamp);
        out.putAll(AdaLossSeries.of(c.reports, snapshot, maxPoints));
        return out;
    }

    private void data(String sessionId, RoutingContext rc) {
        Map<String, Object> out;
        try {
            String worker = rc.request().getParam("worker");
            int workerIdx = intParam(rc, "workerIdx", 0);
            int snapshot = intParam(rc, "snapshot", -1);
            int maxPoints = intParam(rc, "maxPoints", DEFAULT_MAX_POINTS);
            out = data(sessionId, worker, workerIdx, snapshot, maxPoints);
        } catch (IllegalArgumentException e) {
            rc.response().setStatusCode(HttpResponseStatus.BAD_REQUEST.code()).end(e.getMessage());
            return;
        }
        if (out == null) {
            rc.response().setStatusCode(HttpResponseStatus.NOT_FOUND.code())
                    .end("No AdaLoss records for session " + sessionId + " and that worker");
            return;
        }
        sendJson(rc, out);
    }

    private static int intParam(RoutingContext rc, String name, int defaultValue) {
        String v = rc.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter " + name + " must be an integer, got '" + v + "'");
        }
    }

    private static List<String> workers(StatsStorage storage, String sessionId) {
        List<String> w = new ArrayList<>(storage.listWorkerIDsForSessionAndType(sessionId, AdaLossStatsListener.TYPE_ID));
        Collections.sort(w);
        return w;
    }

    private static Map<String, Object> info(AdaLossStaticInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workerId", i.getWorkerID());
        m.put("startTime", i.getTimeStamp());
        m.put("modelClassName", i.getModelClassName());
        m.put("numParams", i.getNumParams());
        m.put("updater", i.getUpdater());
        m.put("reportEvery", i.getReportEvery());
        m.put("ntkProbeSize", i.getNtkProbeSize());
        return m;
    }

    private static void sendJson(RoutingContext rc, Object value) {
        try {
            send(rc, "application/json", JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            log.error("AdaLoss UI: cannot write JSON", e);
            rc.response().setStatusCode(HttpResponseStatus.INTERNAL_SERVER_ERROR.code()).end();
        }
    }

    private static void send(RoutingContext rc, String contentType, String body) {
        rc.response().putHeader("content-type", contentType).putHeader("cache-control", "no-cache").end(body);
    }

    private static String resource(String name) {
        try (InputStream in = AdaLossUIModule.class.getResourceAsStream("/adalossUi/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource adalossUi/" + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decoded reports of one session and worker. */
    private static final class Cache {
        private final StatsStorage storage;
        private final List<AdaLossReport> reports = new ArrayList<>();
        private long lastTimeStamp = Long.MIN_VALUE;

        private Cache(StatsStorage storage) {
            this.storage = storage;
        }
    }
}
