package dev.serval.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private final Path deployDir;

    private ServalServer(Process process, long launchedNanos, Path log, int inferencePort, int managementPort,
            Path deployDir) {
        this.process = process;
        this.launchedNanos = launchedNanos;
        this.log = log;
        this.inferencePort = inferencePort;
        this.managementPort = managementPort;
        this.deployDir = deployDir;
    }

    /**
     * Launches the server; it is not ready yet when this returns.
     *
     * @param options the distribution, native cache and JVM options
     * @param root a new folder for this server's config, work and deploy folders and log
     * @param modelStore the model store
     * @param loadModels {@code load_models}: {@code all} or archive names
     * @return the launched server
     * @throws IOException when it cannot be launched
     */
    static ServalServer launch(BenchOptions options, Path root, Path modelStore, String loadModels) throws IOException {
        int inference = freePort();
        int management = freePort();
        Files.createDirectories(root);
        Path config = root.resolve("config.properties");
        Files.writeString(config, String.join("\n",
                "inference_address=http://127.0.0.1:" + inference,
                "management_address=http://127.0.0.1:" + management,
                "metrics_address=http://127.0.0.1:" + freePort(),
                "model_store=" + modelStore.toAbsolutePath(),
                "load_models=" + loadModels,
                // The raw baseline checks no key either; loopback only, for the length of a run.
                "disable_token_authorization=true", ""));
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path log = root.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(options.dist().resolve("bin/serval").toString(),
                "--config", config.toString(),
                "--deploy", deploy.toString(),
                "--work-dir", root.resolve("work").toString(),
                "--cache-dir", options.cacheDir().toAbsolutePath().toString(),
                "--ncs"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_OPTS", options.serverJavaOpts());
        long launched = System.nanoTime();
        return new ServalServer(builder.start(), launched, log, inference, management, deploy);
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
        throw new IllegalStateException(path + " not answered within " + timeoutSeconds + " s (" + last + "); log: " + log);
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
        try (HttpConnection connection = new HttpConnection(managementPort)) {
            return connection.send(method, path, new Input(new byte[0], "text/plain"));
        }
    }

    /** @return the server process's CPU time so far, in nanoseconds */
    long cpuNanos() throws IOException {
        return CpuTime.of(process.pid());
    }

    /** @return the server process's resident memory, {@code VmRSS} of {@code /proc/PID/status} */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("No VmRSS in /proc/" + process.pid() + "/status");
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
