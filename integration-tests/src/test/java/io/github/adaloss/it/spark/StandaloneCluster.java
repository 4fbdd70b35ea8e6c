package io.github.adaloss.it.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark standalone cluster on the loopback address for tests: one {@code org.apache.spark.deploy.master.Master}
 * and {@code workers} {@code org.apache.spark.deploy.worker.Worker} processes, each its own JVM started with
 * {@link ProcessBuilder} from the Spark jars already on the test classpath (no Spark installation needed).
 *
 * <p>Every process gets {@code SPARK_LOCAL_IP=127.0.0.1} and the Java 17 {@code --add-opens} flags. The workers'
 * {@code SPARK_HOME} is an empty temporary folder with an empty {@code jars/} directory: executors then run with
 * exactly the classpath the application passes in {@code spark.executor.extraClassPath} (see
 * {@link #testClasspath()}). {@link #close()} stops the workers (and the executors they started), then the master,
 * forcibly after a grace period; a JVM shutdown hook does the same if the test JVM exits without calling it.
 * Process output goes to {@code <logDir>/<name>.log}.
 */
final class StandaloneCluster implements AutoCloseable {

    /** Spark's Java 17 module flags (the same list as the spark profile's surefire argLine). */
    static final List<String> ADD_OPENS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    private static final Logger log = LoggerFactory.getLogger(StandaloneCluster.class);
    private static final String HOST = "127.0.0.1";

    private final List<Process> processes = new ArrayList<>();
    private final Path logDir;
    private final Thread shutdownHook = new Thread(this::stopAll, "standalone-cluster-shutdown");
    private final int masterPort;

    /**
     * Starts the master and the workers and waits until every worker has registered with the master.
     *
     * @param workers         number of worker JVMs
     * @param coresPerWorker  cores each worker offers
     * @param memoryPerWorker memory each worker offers, e.g. "1g"
     * @param logDir          folder for the processes' output
     * @param timeoutSeconds  how long to wait for the registrations
     * @throws IOException if a process cannot be started, or the workers do not register in time (the processes
     *                     started so far are stopped, and the message holds the end of the master's log)
     */
    StandaloneCluster(int workers, int coresPerWorker, String memoryPerWorker, Path logDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        this.logDir = Files.createDirectories(logDir);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        boolean started = false;
        try {
            masterPort = freePort();
            Path sparkHome = Files.createDirectories(logDir.resolve("spark-home").resolve("jars"));
            start("master", List.of("org.apache.spark.deploy.master.Master", "--host", HOST,
                    "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())),
                    sparkHome.getParent());
            for (int w = 0; w < workers; w++) {
                Path work = Files.createDirectories(logDir.resolve("worker-" + w + "-work"));
                start("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", HOST,
                        "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()),
                        "--cores", Integer.toString(coresPerWorker), "--memory", memoryPerWorker,
                        "--work-dir", work.toString(), masterUrl(masterPort)), sparkHome.getParent());
            }
            awaitLogLines("master", "Registering worker", workers, timeoutSeconds);
            started = true;
        } finally {
            if (!started) {
                close();
            }
        }
    }

    /** @return {@code spark://127.0.0.1:<port>} of the master */
    String masterUrl() {
        return masterUrl(masterPort);
    }

    /** @return the live processes (master and workers), for the test's own checks */
    List<Process> processes() {
        return List.copyOf(processes);
    }

    private static String masterUrl(int port) {
        return "spark://" + HOST + ":" + port;
    }

    private void start(String name, List<String> mainAndArgs, Path sparkHome) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(ADD_OPENS);
        cmd.add("-cp");
        cmd.add(testClasspath());
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", HOST);
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        // Spark's launcher (used by the worker to build the executor command) asks for the Scala version of a
        // source build unless told; the jars directory under SPARK_HOME is empty on purpose.
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        processes.add(p);
        log.info("started Spark {} (pid {})", name, p.pid());
    }

    private void awaitLogLines(String name, String marker, int count, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path file = logDir.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException("a Spark process exited early with status " + p.exitValue()
                            + "; logs in " + logDir + "\n" + tail(file));
                }
            }
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.split(java.util.regex.Pattern.quote(marker), -1).length - 1 >= count) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IOException("timed out after " + timeoutSeconds + " s waiting for " + count + " x '" + marker
                + "' in " + file + "\n" + tail(file));
    }

    /**
     * @param app application name
     * @return the configuration of a driver on this machine's loopback address, Spark UI off
     */
    static SparkConf baseConf(String master, String app) {
        return new SparkConf().setMaster(master).setAppName(app)
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false");
    }

    /** As {@link #baseConf(String, String)}, application "adaloss-standalone-test". */
    static SparkConf baseConf(String master) {
        return baseConf(master, "adaloss-standalone-test");
    }

    /**
     * @param app            application name
     * @param executorMemory memory per executor, e.g. "1g"
     * @param executors      executors of one core each (one OpenMP thread each)
     * @return a driver configuration for this cluster whose executors run with the test classpath
     */
    SparkConf executorConf(String app, String executorMemory, int executors) {
        return baseConf(masterUrl(), app)
                .set("spark.executor.extraClassPath", testClasspath())
                .set("spark.executor.extraJavaOptions", String.join(" ", ADD_OPENS))
                .set("spark.executor.memory", executorMemory)
                .set("spark.executor.cores", "1")
                .set("spark.cores.max", Integer.toString(executors))
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    }

    /** Waits until {@code count} executors have registered with the driver of {@code sc}. */
    static void awaitExecutors(JavaSparkContext sc, int count, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // getExecutorInfos() lists the driver too
        while (sc.sc().statusTracker().getExecutorInfos().length < count + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (sc.sc().statusTracker().getExecutorInfos().length - 1)
                        + " of " + count + " executors registered within " + timeoutSeconds
                        + " s; see target/spark-standalone/*.log and the workers' work directories");
            }
            Thread.sleep(250);
        }
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops the workers first (each kills its executors), then the master; waits for every process. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    /**
     * The test JVM's classpath as a list of entries: {@code java.class.path}, with surefire's manifest-only
     * booter jar expanded into the entries of its {@code Class-Path} manifest attribute.
     *
     * @return the classpath, {@link File#pathSeparator}-separated
     */
    static String testClasspath() {
        List<String> out = new ArrayList<>();
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        for (String entry : entries) {
            out.add(entry);
            if (entries.length == 1 && entry.endsWith(".jar") && new File(entry).isFile()) {
                try (JarFile jar = new JarFile(entry)) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String url : cp.trim().split("\\s+")) {
                            out.add(new File(new File(entry).toURI().resolve(url)).getPath());
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read the manifest of " + entry, e);
                }
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }
}
