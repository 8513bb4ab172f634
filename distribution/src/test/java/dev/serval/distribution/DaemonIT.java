package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, "Operating it like TorchServe": {@code serval start}, {@code stop} and {@code status}
 * run the built server in the background as {@code torchserve --start/--stop} do (a pid file, the
 * output in a log folder), and its data lives in the base folder ({@code SERVAL_BASE}), never in
 * the installation, which {@code mvn clean} deletes.
 */
class DaemonIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** How a {@code bin/serval} command ended. */
    private record Exit(int code, String output) {}

    /** Runs {@code bin/serval} with this test's base folder, as a user's terminal would. */
    private Exit serval(Path base, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(ServerProcess.DIST.resolve("bin/serval").toString()));
        command.addAll(List.of(args));
        Process process = ServerProcess.isolated(new ProcessBuilder(command), base)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("command.out").toFile())
                .start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not return within 180 s");
        }
        return new Exit(process.exitValue(), Files.readString(root.resolve("command.out")));
    }

    /** @return a config file on free loopback ports, the model store left to the base */
    private Path config(int... ports) throws IOException {
        return Files.writeString(
                root.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:" + ports[0],
                        "management_address=http://127.0.0.1:" + ports[1],
                        "metrics_address=http://127.0.0.1:" + ports[2],
                        "load_models=digits.mar",
                        ""));
    }

    private static String cacheDir() {
        return ServerProcess.NATIVE_CACHE.toAbsolutePath().toString();
    }

    @Test
    void startServesInTheBackgroundUntilStopAndKeepsTheDataInTheBase() throws Exception {
        Path base = root.resolve("base");
        int[] ports = ServerProcess.freePorts(3);
        Path config = config(ports);
        List<String> installation = files(ServerProcess.DIST);
        // A pid file left by a server that ended (its pid is no longer a Serval) does not stop a start.
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
        Path pidFile = Files.createDirectories(base.resolve("work")).resolve("serval.pid");
        Files.writeString(pidFile, ended.pid() + "\n");

        Exit start = serval(base, "start", "--config", config.toString(), "--cache-dir", cacheDir());
        Optional<ProcessHandle> server = Files.exists(pidFile)
                ? ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()))
                : Optional.empty();
        try {
            assertEquals(0, start.code(), start.output());
            assertTrue(
                    start.output()
                            .contains("stale pid file " + pidFile + " (pid " + ended.pid()
                                    + " is not a running Serval): removed it"),
                    start.output());
            long pid = server.orElseThrow().pid();
            assertTrue(server.get().isAlive());
            assertTrue(
                    start.output()
                            .contains("Serval is running (pid " + pid + "): inference http://127.0.0.1:" + ports[0]
                                    + ", management http://127.0.0.1:" + ports[1]),
                    start.output());

            Exit status = serval(base, "status", "--config", config.toString());
            assertEquals(0, status.code(), status.output());
            assertTrue(
                    status.output()
                            .contains("Serval is running (pid " + pid + "): inference http://127.0.0.1:" + ports[0]),
                    status.output());

            // Served with the example the base's new model store was given, and the key it wrote there.
            JsonNode keys = JSON.readTree(base.resolve("work/key_file.json").toFile());
            HttpResponse<String> prediction = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/predictions/digits"))
                                    .header(
                                            "Authorization",
                                            "Bearer "
                                                    + keys.get("inference")
                                                            .get("key")
                                                            .asText())
                                    .POST(HttpRequest.BodyPublishers.ofFile(
                                            ServerProcess.MODELS.resolve("digits/images/digit_03_label5.jpg")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, prediction.statusCode(), prediction.body());
            assertEquals("5", JSON.readTree(prediction.body()).fieldNames().next(), prediction.body());

            Exit second = serval(base, "start", "--config", config.toString(), "--cache-dir", cacheDir());
            assertEquals(1, second.code(), second.output());
            assertTrue(
                    second.output().contains("Serval is already running (pid " + pid + ", " + pidFile + ")"),
                    second.output());
            assertTrue(server.get().isAlive());

            assertTrue(Files.readString(base.resolve("logs/serval.log")).contains("Serval started in"));
            assertTrue(Files.isRegularFile(base.resolve("model-store/digits.mar")));
            assertTrue(Files.isDirectory(base.resolve("deploy")));
            assertEquals(installation, files(ServerProcess.DIST), "the installation is only read");

            Exit stop = serval(base, "stop", "--config", config.toString());
            assertEquals(0, stop.code(), stop.output());
            assertTrue(stop.output().contains("Serval stopped"), stop.output());
            assertFalse(server.get().isAlive(), "stop returns once the server has ended");
            assertFalse(Files.exists(pidFile));
            assertTrue(Files.readString(base.resolve("logs/serval.log")).contains("Serval stopped"));

            Exit after = serval(base, "status", "--config", config.toString());
            assertEquals(3, after.code(), after.output());
            assertTrue(after.output().contains("Serval is not running"), after.output());
        } finally {
            server.ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aStalePidFileIsSaidAndStopRemovesIt() throws Exception {
        Path base = root.resolve("base");
        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
        Path pidFile = Files.createDirectories(base.resolve("work")).resolve("serval.pid");
        Files.writeString(pidFile, ended.pid() + "\n");
        String stale = "stale pid file " + pidFile + " (pid " + ended.pid() + " is not a running Serval)";

        Exit status = serval(base, "status");
        assertEquals(1, status.code(), status.output());
        assertTrue(status.output().contains("Serval is not running: " + stale), status.output());

        Exit stop = serval(base, "stop");
        assertEquals(0, stop.code(), stop.output());
        assertTrue(stop.output().contains(stale + ": removed it"), stop.output());
        assertFalse(Files.exists(pidFile));
        assertEquals(3, serval(base, "status").code());
    }

    @Test
    void aServerThatCannotStartEndsTheStartWithItsLog() throws Exception {
        Path base = root.resolve("base");
        int[] ports = ServerProcess.freePorts(3);
        try (ServerSocket taken = new ServerSocket(ports[0], 1, InetAddress.getLoopbackAddress())) {
            Exit start = serval(base, "start", "--config", config(ports).toString(), "--cache-dir", cacheDir());

            assertEquals(1, start.code(), start.output());
            assertTrue(
                    start.output()
                            .contains("Serval failed to start (exit code 1); the end of "
                                    + base.resolve("logs/serval.log") + ":"),
                    start.output());
            assertTrue(start.output().contains(String.valueOf(ports[0])), "the server's own line:\n" + start.output());
            assertFalse(Files.exists(base.resolve("work/serval.pid")));
            assertEquals(
                    3,
                    serval(
                                    base,
                                    "status",
                                    "--config",
                                    root.resolve("config.properties").toString())
                            .code());
        }
    }

    /** @return the folder's files and folders, relative to it */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(file -> dir.relativize(file).toString()).sorted().toList();
        }
    }
}
