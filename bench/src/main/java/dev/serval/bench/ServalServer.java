package dev.serval.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built distribution's {@code bin/serval} as a child process, in its own JVM, on free
 * loopback ports, with its own config, work and deploy folders under {@code root}.
 */
final class ServalServer implements AutoCloseable {

    private static final long POLL_MS = 10;

    private final Process process;
    private final long launchedNanos;
    private final Path log;
    private final int inferencePort;
    private final int managementPort;
    private final int metricsPort;
    private final Path deployDir;

    private ServalServer(
            Process process,
            long launchedNanos,
            Path log,
            int inferencePort,
            int managementPort,
            int metricsPort,
            Path deployDir) {
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.log = log;
        this.inferencePort = inferencePort;
        this.managementPort = managementPort;
        this.metricsPort = metricsPort;
        this.deployDir = deployDir;
    }

    /**
     * {@link #launch(Path, Path, String, String, Path, Path, String)} with the benchmark's
     * distribution, native cache, JVM options and CPUs.
     */
    static ServalServer launch(BenchOptions options, Path root, Path modelStore, String loadModels) throws IOException {
        return launch(
                options.dist(),
                options.cacheDir(),
                options.serverJavaOpts(),
                options.serverCpus(),
                root,
                modelStore,
                loadModels);
    }

    /**
     * Launches the server; it is not ready yet when this returns.
     *
     * @param dist the built distribution
     * @param cacheDir the native library cache
     * @param javaOpts the server's {@code JAVA_OPTS}
     * @param cpus the CPUs it runs on, as {@code taskset} lists them; empty for any
     * @param root a new folder for this server's config, work and deploy folders and log
     * @param modelStore the model store
     * @param loadModels {@code load_models}: {@code all} or archive names
     * @return the launched server
     * @throws IOException when it cannot be launched
     */
    static ServalServer launch(
            Path dist, Path cacheDir, String javaOpts, String cpus, Path root, Path modelStore, String loadModels)
            throws IOException {
        int inference = freePort();
        int management = freePort();
        int metrics = freePort();
        Files.createDirectories(root);
        Path config = root.resolve("config.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:" + inference,
                        "management_address=http://127.0.0.1:" + management,
                        "metrics_address=http://127.0.0.1:" + metrics,
                        // Free ports: TorchServe, benchmarked beside it, listens on gRPC's defaults.
                        "grpc_inference_port=" + freePort(),
                        "grpc_management_port=" + freePort(),
                        "model_store=" + modelStore.toAbsolutePath(),
                        "load_models=" + loadModels,
                        // The raw baseline checks no key either; loopback only, for the length of a run.
                        "disable_token_authorization=true",
                        ""));
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path log = root.resolve("server.log");
        List<String> command = Cpus.on(
                cpus,
                List.of(
                        dist.resolve("bin/serval").toString(),
                        "--config",
                        config.toString(),
                        "--deploy",
                        deploy.toString(),
                        "--work-dir",
                        root.resolve("work").toString(),
                        "--cache-dir",
                        cacheDir.toAbsolutePath().toString(),
                        "--ncs"));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_OPTS", javaOpts);
        long launched = System.nanoTime();
        return new ServalServer(builder.start(), launched, log, inference, management, metrics, deploy);
    }

    /** @return the folder it hot-deploys from */
    Path deployDir() {
        return deployDir;
    }

    /** @return the inference API's port */
    int inferencePort() {
        return inferencePort;
    }

    /**
     * Sends the request until it is answered with 200, each time on a new connection, as a
     * client that has just been told the server is starting would.
     *
     * @param path the prediction path
     * @param input the request
     * @param timeoutSeconds how long to try
     * @return {@link System#nanoTime()} of the first 200
     * @throws IllegalStateException when the server exits or does not answer in time
     */
    long awaitPrediction(String path, Input input, double timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Server exited with " + process.exitValue() + "; log: " + log);
            }
            try (HttpConnection connection = new HttpConnection(inferencePort)) {
                HttpConnection.Response response = connection.send("POST", path, input);
                if (response.status() == 200) {
                    return System.nanoTime();
                }
                last = response.status() + " " + response.text();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(POLL_MS);
        }
        throw new IllegalStateException(
                path + " not answered within " + timeoutSeconds + " s (" + last + "); log: " + log);
    }

    /** @return nanoseconds from launch to {@code nanoTime} */
    long sinceLaunch(long nanoTime) {
        return nanoTime - launchedNanos;
    }

    /**
     * @param method the HTTP method
     * @param path a management path with its query
     * @return the response
     * @throws IOException when the call fails
     */
    HttpConnection.Response manage(String method, String path) throws IOException {
        return call(managementPort, method, path);
    }

    /**
     * @param names the metric families wanted, as exposed
     * @return the metrics API's exposition of them
     * @throws IOException when the scrape fails or is not answered with 200
     */
    MetricsText metrics(String... names) throws IOException {
        String query = Stream.of(names).map(name -> "name%5B%5D=" + name).collect(Collectors.joining("&", "?", ""));
        HttpConnection.Response response = call(metricsPort, "GET", "/metrics" + query);
        if (response.status() != 200) {
            throw new IOException("Metrics scrape: " + response.status() + " " + response.text());
        }
        return new MetricsText(response.text());
    }

    /** A new connection for each call, so that no idle keep-alive connection is held between calls. */
    private static HttpConnection.Response call(int port, String method, String path) throws IOException {
        try (HttpConnection connection = new HttpConnection(port)) {
            return connection.send(method, path, new Input(new byte[0], "text/plain"));
        }
    }

    /** @return the server's process id */
    long pid() {
        return process.pid();
    }

    /** @return the server process's CPU time so far, in nanoseconds */
    long cpuNanos() throws IOException {
        return CpuTime.of(pid());
    }

    /** @return the server process's resident memory, {@code VmRSS} of {@code /proc/PID/status} */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(proc("status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("No VmRSS in " + proc("status"));
    }

    /** @return the server process's threads, Java and native: the entries of {@code /proc/PID/task} */
    int threads() throws IOException {
        return entries(proc("task"));
    }

    /** @return the server process's open file descriptors (files, sockets, pipes): {@code /proc/PID/fd} */
    int openFiles() throws IOException {
        return entries(proc("fd"));
    }

    /**
     * Has the server run a full garbage collection, as {@code System.gc()} does, and waits for it:
     * {@code jcmd PID GC.run}, through the attach mechanism, which leaves no thread or connection
     * behind but its one attach listener.
     *
     * @throws IOException when jcmd cannot be run or fails
     */
    void collectGarbage() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Commands.run(List.of(jcmd.toString(), String.valueOf(process.pid()), "GC.run"));
    }

    /** @return the server's log */
    Path log() {
        return log;
    }

    private Path proc(String entry) {
        return Path.of("/proc", String.valueOf(process.pid()), entry);
    }

    private static int entries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return Math.toIntExact(entries.count());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops the server as a service manager would: SIGTERM, then a wait for a clean exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
