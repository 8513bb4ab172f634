package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop as a container runtime makes it, SIGTERM, then the exit code it reads: readiness turns
 * false at once, the listening sockets close, the requests taken (in flight and queued) are
 * answered, then the process exits 0 within its grace period; what the grace period leaves
 * unanswered is answered 503 and counted in the log. A request sent just before the signal that
 * the server had not read when the drain began is not taken: it is refused 503, to be retried.
 */
class ShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of(System.getProperty("serval.examples", "target/example-bundles"));
    private static final int CLIENTS = 16;
    /** The default {@code graceful_shutdown_timeout}. */
    private static final Duration GRACE = Duration.ofSeconds(20);

    @TempDir
    Path root;

    @Test
    void sigtermUnderLoadAnswersEveryRequestTakenThenExits0() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        // One worker (the reference model's minWorkers): the 16 clients' requests queue behind it.
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        List<JsonNode> cases = Reference.cases(Archives.DIGITS);
        List<byte[]> inputs = new ArrayList<>();
        for (JsonNode testCase : cases) {
            inputs.add(Reference.input(Archives.DIGITS, testCase));
        }
        try (ServerProcess server = ServerProcess.start(root, store)) {
            SignalledLoad.Outcome drained = SignalledLoad.run(
                    CLIENTS,
                    Duration.ofSeconds(2),
                    (client, count) -> {
                        int index = (client + count) % cases.size();
                        HttpResponse<String> answer = server.predict("/predictions/digits", inputs.get(index), "PUT");
                        return new SignalledLoad.Answer(
                                answer, answer.statusCode() == 200 && topFive(answer, cases.get(index)));
                    },
                    () -> {
                        server.terminate();
                        return null;
                    },
                    () -> server.awaitExit(GRACE.plusSeconds(10)));
            System.out.println("[shutdown] " + drained);

            assertEquals(0, drained.exit(), server.log());
            assertTrue(
                    drained.exitedNanos() - drained.signalNanos()
                            < GRACE.plusSeconds(5).toNanos(),
                    "the exit within the grace period");
            drained.assertEveryAcceptedRequestAnswered();
        }
    }

    /** @return whether the answer is the top 5 classes, with PyTorch's numbers */
    private static boolean topFive(HttpResponse<String> answer, JsonNode testCase) {
        try {
            JsonNode classes = JSON.readTree(answer.body());
            return classes.size() == 5
                    && Reference.digitMismatches(testCase, classes).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void duringTheDrainProbesSayUnhealthyNewRequestsAre503AndNewConnectionsAreRefused() throws Exception {
        try (ServerProcess server = streaming(1_000)) {
            try (Connection probe = new Connection(server.inferencePort);
                    Connection late = new Connection(server.inferencePort)) {
                assertEquals(200, probe.send("GET /ping", List.of(), "").status());
                assertEquals(200, late.send("GET /ping", List.of(), "").status());
                CompletableFuture<String> held = stream(server, "one two three four");

                server.terminate();
                awaitRefused(server.inferencePort);
                // Connections open and idle when the drain began are still answered.
                RawHttp.Response unhealthy = probe.send("GET /ping", List.of(), "");
                assertEquals(500, unhealthy.status(), unhealthy.body());
                assertEquals(
                        "Unhealthy",
                        JSON.readTree(unhealthy.body()).get("status").asText());
                assertFalse(held.isDone(), "the request held is in flight while /ping says Unhealthy");

                RawHttp.Response refused = late.send(
                        "POST /predictions/stream", List.of("Authorization: Bearer " + server.key("inference")), "x");
                assertEquals(503, refused.status(), refused.body());
                assertEquals("close", refused.headers().get("connection"));
                assertEquals(
                        "ServiceUnavailableException",
                        JSON.readTree(refused.body()).get("type").asText());

                assertEquals("one two three four", held.get(20, TimeUnit.SECONDS));
                assertEquals(0, server.awaitExit(GRACE.plusSeconds(10)), server.log());
            }
        }
    }

    @Test
    void requestsUnansweredWhenTheGraceEndsAreAbandonedAndTheExitIsPrompt() throws Exception {
        try (ServerProcess server = streaming(1_500, "graceful_shutdown_timeout=1")) {
            CompletableFuture<String> running = stream(server, "one two three four");
            // Behind the running one, on the model's one worker.
            CompletableFuture<HttpResponse<String>> queued =
                    server.http.sendAsync(streamRequest(server, "queued"), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);

            long signal = System.nanoTime();
            server.terminate();
            int code = server.awaitExit(Duration.ofSeconds(20));
            long exit = System.nanoTime();

            assertEquals(0, code, server.log());
            System.out.printf("[shutdown] grace 1 s: exit %d ms after the signal%n", (exit - signal) / 1_000_000);
            assertTrue(exit - signal < Duration.ofSeconds(1 + 6).toNanos(), "the exit soon after the grace period");
            assertEquals(1, server.logged("2 requests abandoned"), server.log());
            HttpResponse<String> abandoned = queued.get(5, TimeUnit.SECONDS);
            assertEquals(503, abandoned.statusCode(), abandoned.body());
            assertEquals(
                    "ServiceUnavailableException",
                    JSON.readTree(abandoned.body()).get("type").asText());
            String cut =
                    running.handle((body, failure) -> body == null ? "" : body).get(5, TimeUnit.SECONDS);
            assertFalse(cut.contains("four"), cut);
        }
    }

    /** @return a server with the example {@code text_stream} handler as model {@code stream}, one worker */
    private ServerProcess streaming(long pauseMs, String... properties) throws Exception {
        ServerProcess server = ServerProcess.start(root, Files.createDirectories(root.resolve("store")), properties);
        Files.copy(EXAMPLES.resolve("checksum-handler.jar"), server.deployDir.resolve("checksum-handler.jar"));
        Archives.textStream(server.deployDir.resolve("stream.mar"), "stream", pauseMs);
        ServerProcess.waitFor(
                Duration.ofSeconds(60),
                () -> server.predict("/predictions/stream", "ready".getBytes(), "POST")
                                .statusCode()
                        == 200);
        return server;
    }

    private static HttpRequest streamRequest(ServerProcess server, String text) {
        return server.request(server.inferencePort, "/predictions/stream")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build();
    }

    /** @return the streamed answer's text, once its first word has arrived: the request is in flight */
    private static CompletableFuture<String> stream(ServerProcess server, String text) throws Exception {
        HttpResponse<InputStream> answer =
                server.http.send(streamRequest(server, text), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream body = answer.body()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Waits until the listening socket is closed: the drain has begun; 10 s at most. */
    private static void awaitRefused(int port) throws Exception {
        ServerProcess.waitFor(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return false;
            } catch (ConnectException e) {
                return true;
            }
        });
    }

    /** One HTTP/1.1 connection kept open across requests: {@code java.net.http} chooses its own. */
    private static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        RawHttp.Response send(String target, List<String> headers, String body) throws IOException {
            StringBuilder request = new StringBuilder(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            headers.forEach(header -> request.append(header).append("\r\n"));
            request.append("Content-Length: ")
                    .append(body.length())
                    .append("\r\n\r\n")
                    .append(body);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return RawHttp.read(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
