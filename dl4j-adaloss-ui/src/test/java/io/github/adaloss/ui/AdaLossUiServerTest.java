package io.github.adaloss.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.adaloss.ntk.listener.NtkSnapshot;
import io.github.adaloss.ntk.listener.NtkSpectrumListener;
import io.github.adaloss.updater.AdaLoss;
import io.github.adaloss.updater.AdaptiveSteps;
import io.github.adaloss.updater.LossFeedListener;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * DL4J's UI server on a free port (port 0), a network trained with StatsListener, AdaLossStatsListener and an NTK
 * listener, and the page's own data endpoint read over HTTP on 127.0.0.1: the series hold the values AdaptiveSteps
 * and NtkSpectrumListener reported. The same through RemoteUIStatsStorageRouter. With headless Chromium (Debian's
 * {@code chromium}, or {@code -Dadaloss.ui.chromium=PATH}) the rendered page is checked too, and a screenshot written
 * to {@code -Dadaloss.ui.screenshot=PATH} (default target/ui-adaloss.png).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AdaLossUiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static VertxUIServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = VertxUIServer.getInstance(0, false, null);
        base = "http://127.0.0.1:" + server.getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        VertxUIServer.stopInstance();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readValue(r.body(), Map.class);
    }

    /** Polls path until the JSON satisfies done (the UI routes storage events every 500 ms; remote posts are async). */
    private static Map<String, Object> await(String path, Predicate<Map<String, Object>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            HttpResponse<String> r = get(path);
            if (r.statusCode() == 200) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = JSON.readValue(r.body(), Map.class);
                if (done.test(m)) {
                    return m;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + path + ", last: " + r.statusCode() + " "
                        + r.body());
            }
            Thread.sleep(200);
        }
    }

    private static String dataPath(String session) {
        return "/adaloss/data/" + URLEncoder.encode(session, StandardCharsets.UTF_8);
    }

    /** One run: 3 epochs of 8 mini-batches of 8, NTK of a 16-example probe every 4 iterations and at epoch ends. */
    private static final class Run {
        final TinyRun.Reference ref = new TinyRun.Reference();
        final NtkSpectrumListener ntk;
        final AdaLossStatsListener ui;
        final int iterations = 24;

        Run(AdaLossStatsListener.Builder builder, StatsListener stats, long seed) {
            this(builder, stats, seed, new AdaLoss(0.3, 0.5));
        }

        Run(AdaLossStatsListener.Builder builder, StatsListener stats, long seed, AdaLoss updater) {
            MultiLayerNetwork net = TinyRun.net(updater, DataType.DOUBLE, Activation.TANH);
            DataSet ds = TinyRun.data(64, seed, DataType.DOUBLE);
            ntk = NtkSpectrumListener.builder(ds.getFeatures().getRows(IntStream.range(0, 16).toArray()))
                    .everyIterations(4).lossCurvatureScale(2.0 / 8)
                    .stepSize(m -> AdaptiveSteps.currentStep(m).orElse(Double.NaN)).build();
            ui = builder.ntk(ntk).build();
            if (stats == null) {
                net.setListeners(new LossFeedListener(), ui, ref);
            } else {
                net.setListeners(new LossFeedListener(), stats, ui, ref);
            }
            net.fit(TinyRun.batches(ds, 8), 3);
        }

        /** The data endpoint's series against the reference recorder and the NTK listener's history. */
        void check(Map<String, Object> d) {
            assertEquals(ref.iteration, d.get("iteration"));
            assertEquals(ref.accumulator, d.get("accumulator"));
            assertEquals(ref.step, d.get("step"));
            assertEquals(ref.loss, d.get("loss"));
            List<Integer> recoveries = new ArrayList<>();
            ref.recoveries.forEach(x -> recoveries.add(x.intValue()));
            assertEquals(recoveries, d.get("recoveries"));
            @SuppressWarnings("unchecked")
            Map<String, Object> ntkSeries = (Map<String, Object>) d.get("ntk");
            List<NtkSnapshot> h = ntk.history();
            assertEquals(h.stream().map(NtkSnapshot::iteration).toList(), ntkSeries.get("iteration"));
            assertEquals(h.stream().map(NtkSnapshot::lambdaMin).toList(), ntkSeries.get("lambdaMin"));
            assertEquals(h.stream().map(NtkSnapshot::lambdaMax).toList(), ntkSeries.get("lambdaMax"));
            assertEquals(h.stream().map(NtkSnapshot::kernelDrift).toList(), ntkSeries.get("kernelDrift"));
            assertEquals(h.stream().map(NtkSnapshot::stepSize).toList(), ntkSeries.get("stepSize"));
            assertEquals(h.stream().map(NtkSnapshot::stabilityEdge).toList(), ntkSeries.get("stabilityEdge"));
            @SuppressWarnings("unchecked")
            Map<String, Object> spectrum = (Map<String, Object>) d.get("spectrum");
            assertEquals(h.size() - 1, spectrum.get("index"));
            List<Double> eig = new ArrayList<>();
            for (double v : h.get(h.size() - 1).eigenvalues()) {
                eig.add(v);
            }
            assertEquals(eig, spectrum.get("eigenvalues"));
        }
    }

    @Test
    void chartsReceiveTheSeriesTheListenerWrote() throws Exception {
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        server.attach(ss);
        Run run = new Run(AdaLossStatsListener.builder(ss), new StatsListener(ss), 21);
        String sid = run.ui.getSessionID();
        assertEquals(run.iterations, run.ref.iteration.size());
        // 24 iterations, snapshots at 0, 4, ..., 20 and after each of the 3 epochs
        assertEquals(6 + 3, run.ntk.history().size());

        Map<String, Object> sessions = await("/adaloss/sessions", m -> m.toString().contains(sid));
        assertEquals(sid, sessions.get("latest"));
        Map<String, Object> d = json(dataPath(sid));
        assertEquals(sid, d.get("sessionId"));
        assertEquals(run.ui.getWorkerID(), d.get("workerId"));
        run.check(d);
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) json(dataPath(sid) + "?snapshot=0").get("spectrum");
        List<Double> eig0 = new ArrayList<>();
        for (double v : run.ntk.history().get(0).eigenvalues()) {
            eig0.add(v);
        }
        assertEquals(eig0, first.get("eigenvalues"));
        assertEquals(400, get(dataPath(sid) + "?snapshot=99").statusCode());
        assertEquals(404, get(dataPath("no-such-session")).statusCode());

        HttpResponse<String> page = get("/adaloss");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"spectrumChart\"") && page.body().contains("/adaloss/adaloss.js"));
        assertTrue(get("/adaloss/adaloss.js").body().contains("function renderData"));
        // DL4J's own pages still work with this module's dependency exclusions, and share the session
        assertEquals(200, get("/train/overview").statusCode());
        assertEquals(sid, get("/train/sessions/current").body());
    }

    @Test
    void remoteRouterReachesTheCharts() throws Exception {
        server.enableRemoteListener();
        RemoteUIStatsStorageRouter remote = new RemoteUIStatsStorageRouter(base);
        try {
            Run run = new Run(AdaLossStatsListener.builder(remote).sessionId("remote-run").workerId("remote-w"),
                    null, 22);
            int records = run.iterations;
            Map<String, Object> d = await(dataPath("remote-run"), m -> ((Number) m.get("records")).intValue() == records
                    && ((Map<?, ?>) m.get("ntk")).get("iteration").toString().split(",").length
                    == run.ntk.history().size());
            assertEquals("remote-w", d.get("workerId"));
            run.check(d);
        } finally {
            remote.shutdown();
        }
    }

    /** The page rendered by headless Chromium: the table shows the last values and the flot charts are drawn. */
    @Test
    void renderedPageShowsTheLastValues() throws Exception {
        String chromium = System.getProperty("adaloss.ui.chromium", "/usr/bin/chromium");
        Assumptions.assumeTrue(new File(chromium).canExecute(), "no headless Chromium at " + chromium
                + " (Debian package chromium); rendered page not checked");
        InMemoryStatsStorage ss = new InMemoryStatsStorage();
        server.attach(ss);
        // eta = 8, b0 = 0.1: the first steps overshoot and the loss feed rejects some, so the page has them to show
        Run run = new Run(AdaLossStatsListener.builder(ss), new StatsListener(ss), 23, new AdaLoss(8, 0.1));
        String sid = run.ui.getSessionID();
        await("/adaloss/sessions", m -> m.toString().contains(sid));
        String url = base + "/adaloss?session=" + URLEncoder.encode(sid, StandardCharsets.UTF_8);
        String dom = chromium(chromium, "--dump-dom", url);
        int last = run.iterations - 1;
        assertEquals(String.valueOf(last), cell(dom, "lastIteration"));
        assertEquals(String.valueOf(run.iterations), cell(dom, "records"));
        assertEquals(run.ntk.history().size() + " (16)", cell(dom, "ntkCount"));
        double b = run.ref.accumulator.get(last);
        assertEquals(b, Double.parseDouble(cell(dom, "lastB")), 1e-5 * b);
        double step = run.ref.step.get(last);
        assertEquals(step, Double.parseDouble(cell(dom, "lastStep")), 1e-5 * step);
        long rejected = run.ref.recoveries.get(last);
        assertTrue(rejected > 0, "expected rejected steps in this run, got " + rejected);
        assertEquals(String.valueOf(rejected), cell(dom, "lastRecoveries"));
        int canvases = dom.split("class=\"flot-base\"", -1).length - 1;
        assertEquals(6, canvases, "flot charts drawn");
        assertTrue(cell(dom, "spectrumInfo").startsWith("snapshot #" + (run.ntk.history().size() - 1)),
                cell(dom, "spectrumInfo"));

        Path shot = Path.of(System.getProperty("adaloss.ui.screenshot", "target/ui-adaloss.png")).toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        chromium(chromium, "--screenshot=" + shot, "--window-size=1400,1560", url);
        assertTrue(Files.size(shot) > 10_000, "screenshot " + shot);
    }

    private static String chromium(String exe, String mode, String... rest) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--virtual-time-budget=8000",
                "--user-data-dir=" + Files.createTempDirectory("adaloss-chromium"), mode));
        cmd.addAll(List.of(rest));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium exit code");
        return out;
    }

    private static String cell(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        assertTrue(m.find(), "element " + id + " not in the rendered page");
        return m.group(1).trim();
    }
}
