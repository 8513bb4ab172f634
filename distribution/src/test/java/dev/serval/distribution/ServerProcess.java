package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution's {@code bin/serval}, started as a user would, on free loopback ports,
 * with its own work, model store and deploy folders, and its own base folder ({@code SERVAL_BASE}) for
 * anything else. Token authorization stays on, as it is by
 * default: requests carry the keys the server wrote to {@code work/key_file.json}.
 */
final class ServerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final Path DIST = Path.of(System.getProperty("serval.dist", "target/serval"));
    static final Path MODELS = Path.of(System.getProperty("serval.models", "models"));
    static final Path NATIVE_CACHE = Path.of(System.getProperty("serval.test.cache", "target/native-cache"));

    private final Process process;
    private final Path log;
    final Path config;
    final Path workDir;
    final int inferencePort;
    final int managementPort;
    final int metricsPort;
    /** TorchServe's gRPC inference API's port. */
    final int grpcInferencePort;
    /** TorchServe's gRPC management API's port. */
    final int grpcManagementPort;

    final Path deployDir;
    final Path keyFile;
    private volatile JsonNode keys;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerProcess(
            Process process, Path log, Path config, Path workDir, int[] ports, Path deployDir, Path keyFile) {
        this.process = process;
        this.log = log;
        this.config = config;
        this.workDir = workDir;
        this.inferencePort = ports[0];
        this.managementPort = ports[1];
        this.metricsPort = ports[2];
        this.grpcInferencePort = ports[3];
        this.grpcManagementPort = ports[4];
        this.deployDir = deployDir;
        this.keyFile = keyFile;
    }

    /**
     * @param root a temporary folder for this server's config, work and deploy folders
     * @param modelStore the model store to load every model of
     * @param properties more {@code config.properties} lines
     */
    static ServerProcess start(Path root, Path modelStore, String... properties) throws Exception {
        return start(root, modelStore, List.of(), properties);
    }

    /**
     * @param devOptions when not empty, the server runs as {@code bin/serval dev} with these
     *     options, such as {@code --handler-project}
     * @see #start(Path, Path, String...)
     */
    static ServerProcess start(Path root, Path modelStore, List<String> devOptions, String... properties)
            throws Exception {
        return launch(root, modelStore, devOptions, properties).awaitHealthy();
    }

    /** @return this server, once {@code /ping} says Healthy; killed when it does not within 120 s */
    ServerProcess awaitHealthy() throws Exception {
        return await(ServerProcess::healthy, "healthy");
    }

    /**
     * For a server that stays unhealthy, as one with a start-up model that cannot get its workers.
     *
     * @return the server once it has loaded its start-up models, healthy or not, and both APIs answer
     * @see #start(Path, Path, String...)
     */
    static ServerProcess startUnhealthy(Path root, Path modelStore, String... properties) throws Exception {
        return launch(root, modelStore, List.of(), properties).await(ServerProcess::started, "started");
    }

    /**
     * @return the server as soon as its process runs, before it answers; the caller closes it
     * @see #start(Path, Path, List, String...)
     */
    static ServerProcess launch(Path root, Path modelStore, List<String> devOptions, String... properties)
            throws Exception {
        int[] ports = freePorts(5);
        Path config = config(root, ports, modelStore, properties);
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path log = root.resolve("server.log");
        Path work = root.resolve("work");
        Process process = isolated(new ProcessBuilder(command(devOptions, config, deploy, work)), root)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ServerProcess(process, log, config, work, ports, deploy, work.resolve("key_file.json"));
    }

    /**
     * @param root the folder to write {@code config.properties} in
     * @param ports the inference, management, metrics, gRPC inference and gRPC management ports
     * @param modelStore the model store to load every model of
     * @param properties more {@code config.properties} lines
     * @return the file: loopback addresses on those ports, every model loaded, one TorchServe key Serval ignores
     */
    static Path config(Path root, int[] ports, Path modelStore, String... properties) throws IOException {
        return Files.writeString(
                root.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:" + ports[0],
                        "management_address=http://127.0.0.1:" + ports[1],
                        "metrics_address=http://127.0.0.1:" + ports[2],
                        "grpc_inference_port=" + ports[3],
                        "grpc_management_port=" + ports[4],
                        "model_store=" + modelStore.toAbsolutePath(),
                        "load_models=all",
                        "some_torchserve_key=kept and ignored",
                        String.join("\n", properties),
                        ""));
    }

    /**
     * @param builder a {@code bin/serval} command
     * @param base the folder it takes for its base, whatever its options leave to the base
     * @return the builder, never defaulting to the user's {@code ~/.serval}
     */
    static ProcessBuilder isolated(ProcessBuilder builder, Path base) {
        builder.environment().put("SERVAL_BASE", base.toAbsolutePath().toString());
        return builder;
    }

    /**
     * For a server configured otherwise than by {@link #launch(Path, Path, List, String...)}'s
     * config file: by flags, environment variables, or a config file of the test's own.
     *
     * @param root the folder for the server's log; {@code root/work} and {@code root/deploy}
     *     when the arguments hold {@link #folders(Path)}
     * @param arguments the command line after {@code bin/serval}
     * @param environment variables to set besides the test's own
     * @param ports the inference, management and metrics ports the arguments or environment give
     * @return the server as soon as its process runs; the caller closes it
     */
    static ServerProcess launch(Path root, List<String> arguments, Map<String, String> environment, int... ports)
            throws IOException {
        Path log = root.resolve("server.log");
        Path work = root.resolve("work");
        ProcessBuilder builder = isolated(new ProcessBuilder(serval(arguments)), root)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        // The gRPC ports, when the arguments give them as folders(root) does, are any free ones.
        return new ServerProcess(
                builder.start(),
                log,
                root.resolve("config.properties"),
                work,
                new int[] {ports[0], ports[1], ports[2], -1, -1},
                root.resolve("deploy"),
                work.resolve("key_file.json"));
    }

    /**
     * @return {@code --deploy}, {@code --work-dir} in {@code root}, the shared native cache, and
     *     gRPC on free ports, never on 7070 and 7071, which another server may hold
     */
    static List<String> folders(Path root) {
        return List.of(
                "--deploy",
                root.resolve("deploy").toString(),
                "--work-dir",
                root.resolve("work").toString(),
                "--cache-dir",
                NATIVE_CACHE.toAbsolutePath().toString(),
                "--grpc-inference-port",
                "0",
                "--grpc-management-port",
                "0");
    }

    private static List<String> serval(List<String> arguments) {
        List<String> command =
                new ArrayList<>(List.of(DIST.resolve("bin/serval").toString()));
        command.addAll(arguments);
        return command;
    }

    /** @return whether the server's process still runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** What a started server is waited for. */
    private interface Check {
        boolean holds(ServerProcess server) throws IOException, InterruptedException;
    }

    private ServerProcess await(Check check, String what) throws Exception {
        try {
            awaitUntil(check, what);
        } catch (Exception | Error e) {
            // A server that never got there must not outlive the test that started it.
            kill();
            throw e;
        }
        return this;
    }

    /** @return the command line of {@code bin/serval} (or {@code bin/serval dev}) with these folders */
    static List<String> command(List<String> devOptions, Path config, Path deploy, Path work) {
        List<String> command =
                new ArrayList<>(List.of(DIST.resolve("bin/serval").toString()));
        if (!devOptions.isEmpty()) {
            command.add("dev");
            command.addAll(devOptions);
        }
        command.addAll(List.of(
                "--config", config.toString(),
                "--deploy", deploy.toString(),
                "--work-dir", work.toString(),
                "--cache-dir", NATIVE_CACHE.toAbsolutePath().toString()));
        return command;
    }

    /**
     * @param code the exit code, or -1 when it was still running after 60 s and was stopped
     * @param output what it printed, stdout and stderr together
     */
    record Exit(int code, String output) {}

    /**
     * @param exit how a server that should not have started ended
     * @param expected what its one line of refusal holds
     */
    static void assertRefusedInOneLine(Exit exit, String expected) {
        assertEquals(1, exit.code(), exit.output());
        List<String> lines =
                exit.output().lines().filter(line -> line.contains(expected)).toList();
        assertEquals(1, lines.size(), exit.output());
        assertTrue(lines.get(0).startsWith("serval: "), exit.output());
        assertFalse(exit.output().contains("\tat "), "no stack trace:\n" + exit.output());
    }

    /**
     * Starts a second server beside this one, as a user might by mistake, and waits for it to end.
     *
     * @param config its {@code config.properties}, such as this server's {@link #config}
     * @param work its work folder, such as this server's {@link #workDir}
     * @return how it ended; one still running after 60 s is stopped with SIGTERM
     */
    Exit another(Path config, Path work) throws Exception {
        Path output = Files.createTempFile(log.getParent(), "another", ".log");
        return runToEnd(command(List.of(), config, deployDir, work), Map.of(), output);
    }

    /**
     * @param arguments the command line after {@code bin/serval}
     * @param environment variables to set besides the test's own
     * @param output where its output goes; its folder is the base, unless the environment names one
     * @return how {@code bin/serval} ended; one still running after 60 s is stopped with SIGTERM
     */
    static Exit exit(List<String> arguments, Map<String, String> environment, Path output) throws Exception {
        return runToEnd(serval(arguments), environment, output);
    }

    private static Exit runToEnd(List<String> command, Map<String, String> environment, Path output) throws Exception {
        ProcessBuilder builder = isolated(new ProcessBuilder(command), output.getParent())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process other = builder.start();
        int code = -1;
        if (other.waitFor(60, TimeUnit.SECONDS)) {
            code = other.exitValue();
        } else {
            other.destroy();
            if (!other.waitFor(30, TimeUnit.SECONDS)) {
                other.destroyForcibly();
            }
        }
        return new Exit(code, Files.readString(output));
    }

    /**
     * Runs {@code bin/serval} with a subcommand such as {@code archive}, as a user would.
     *
     * @param args the command line after {@code bin/serval}
     * @return what it printed, stdout and stderr together
     * @throws IllegalStateException when it exits with another code than 0
     */
    static String run(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(DIST.resolve("bin/serval").toString()));
        command.addAll(List.of(args));
        Process process = isolated(new ProcessBuilder(command), DIST.resolveSibling("it-base"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    /** @return milliseconds until the condition held; fails after 10 s */
    static long waitFor(Callable<Boolean> condition) throws Exception {
        return waitFor(Duration.ofSeconds(10), condition);
    }

    /**
     * @param limit how long to wait: longer than 10 s for what waits on a whole server start, which
     *     a loaded CI machine may stretch
     * @param condition what to wait for
     * @return the milliseconds it took
     */
    static long waitFor(Duration limit, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            if (condition.call()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met within " + limit.toSeconds() + " s");
    }

    private void awaitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                // The key file is written before the APIs answer; a server without it has token
                // authorization off.
                reloadKeys();
                if (check.holds(this)) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Server did not become " + what + ":\n" + log());
    }

    /** @return whether {@code /ping} says Healthy: every start-up model serves */
    private boolean healthy() throws IOException, InterruptedException {
        // The management API starts a moment after the inference API; tests use both. One listener
        // serves both when their addresses are one (KServe's TorchServe configuration).
        return answers(inferencePort, "/ping")
                && (managementPort == inferencePort || answers(managementPort, "/models"));
    }

    /** @return whether the server logged the end of its start and its management API answers */
    private boolean started() throws IOException, InterruptedException {
        return log().contains("Serval started in") && answers(managementPort, "/models");
    }

    /**
     * The ports are bound from the start but answer only once the framework has started: a
     * request waits until then, for a few seconds at a time, so that the deadline above holds.
     */
    private boolean answers(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = request(port, path).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    /** Reads the key file again, after a test renewed a key; keeps none when there is no file. */
    void reloadKeys() throws IOException {
        keys = Files.exists(keyFile) ? JSON.readTree(keyFile.toFile()) : null;
    }

    /**
     * @param kind {@code inference}, {@code management} or {@code API}
     * @return that key from the key file
     */
    String key(String kind) {
        return keys.get(kind).get("key").asText();
    }

    /**
     * @param port one of the server's ports
     * @param path the request path, with any query string
     * @return a request to it carrying the port's key, when token authorization is on
     */
    HttpRequest.Builder request(int port, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path));
        String kind = port == inferencePort ? "inference" : port == managementPort ? "management" : null;
        if (keys != null && kind != null) {
            request.header("Authorization", "Bearer " + key(kind));
        }
        return request;
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send("GET", port, path);
    }

    /**
     * @param method the HTTP method, sent without a body
     * @param port the inference or management port
     * @param path the path, with any query string
     * @return the response
     */
    HttpResponse<String> send(String method, int port, String path) throws IOException, InterruptedException {
        HttpRequest request = request(port, path)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> predict(String path, byte[] body, String method) throws IOException, InterruptedException {
        HttpRequest request = request(inferencePort, path)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @param path the request path, with any query string
     * @param body the request body
     * @param headers header names and values, alternating, as {@link HttpRequest.Builder#headers}
     * @return the response, its body as bytes
     */
    HttpResponse<byte[]> post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(inferencePort, path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * @param path the request path
     * @param body the request body
     * @param contentType its media type
     * @return the response, its body as text
     */
    HttpResponse<String> postText(String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest request = request(inferencePort, path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** @return the server's process id ({@code bin/serval} execs the JVM) */
    long pid() {
        return process.pid();
    }

    /** @return the server process's thread count, from /proc */
    int threads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            return (int) tasks.count();
        }
    }

    /** @return the server process's open file descriptors, from /proc */
    int openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
            return (int) fds.count();
        }
    }

    /** @return the server process's resident memory in bytes, from /proc ({@code VmRSS}) */
    long residentBytes() throws IOException {
        String kib = Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\D", "");
        return Long.parseLong(kib) * 1024;
    }

    /**
     * Prints the process's resident memory and threads, for the test output of a hostile phase.
     *
     * @param phase what has just happened, such as {@code "before slow clients"}
     * @return the figures printed
     */
    String resources(String phase) throws IOException {
        String line = String.format(
                "[%s] RSS %d MB, %d threads, %d open files", phase, residentBytes() >> 20, threads(), openFiles());
        System.out.println(line);
        return line;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** @return how many times the server's output so far holds {@code part} */
    int logged(String part) throws IOException {
        String text = log();
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /**
     * @return that many distinct free ports: each socket stays open until all are chosen, or the
     *     OS could hand out one port twice
     */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Kills the server as a crash would: SIGKILL, no shutdown hook, nothing flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM, as a container runtime stopping the server does, and returns at once. */
    void terminate() {
        process.destroy();
    }

    /**
     * @param limit how long to wait
     * @return the server's exit code; fails when it still runs after {@code limit}, killing it
     */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("the server still ran " + limit.toSeconds() + " s after SIGTERM");
        }
        return process.exitValue();
    }

    /** Stops the server as a service manager would: SIGTERM, then waits for a clean exit. */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Server did not stop within 30 s of SIGTERM");
        }
    }
}
