package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness that means ready (issue 18, item 4): {@code /ping} is Healthy only when every model
 * loaded at start-up has its minimum workers READY, else 500 Unhealthy naming the models that do
 * not; the KServe probes follow it; and the probes are answered while the models load.
 */
class ReadinessIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PREVIEW_BUNDLE = Path.of(System.getProperty("serval.examples", "target/example-bundles"))
            .resolve("digits-preview-handler.jar");

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] png;
    private static byte[] jpeg;

    /** digits serves; preview names digits_preview, whose bundle is not deployed until a test drops it in. */
    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.archive(
                store,
                "preview",
                "1.0",
                "convnet_digits.pt",
                "digits_preview",
                "--config-file",
                Archives.DIGITS.resolve("model-config.yaml").toString());
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        jpeg = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        server = ServerProcess.startUnhealthy(Files.createDirectories(root.resolve("server")), store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aStartupModelWithoutItsWorkersIsNamedUnhealthyUntilItServes() throws Exception {
        HttpResponse<String> ping = server.get(server.inferencePort, "/ping");
        assertEquals(500, ping.statusCode(), ping.body());
        JsonNode body = JSON.readTree(ping.body());
        assertEquals("Unhealthy", body.get("status").asText(), ping.body());
        assertEquals(1, body.get("models").size(), ping.body());
        JsonNode preview = body.get("models").get(0);
        assertEquals("preview", preview.get("modelName").asText(), ping.body());
        assertEquals("WAITING_FOR_HANDLER", preview.get("status").asText(), ping.body());
        assertEquals(0, preview.get("readyWorkers").asInt(), ping.body());
        assertTrue(preview.get("minWorkers").asInt() > 0, ping.body());
        assertEquals(400, status("/v2/health/ready"));
        assertEquals(400, status("/v2/models/preview/ready"));
        assertEquals(200, status("/v2/models/digits/ready"));
        assertEquals(200, status("/v2/health/live"));
        // The other models serve meanwhile.
        assertEquals(200, server.predict("/predictions/digits", png, "POST").statusCode());

        Files.copy(PREVIEW_BUNDLE, server.deployDir.resolve(PREVIEW_BUNDLE.getFileName()));
        ServerProcess.waitFor(() -> status("/ping") == 200);
        assertEquals(
                "{\"status\":\"Healthy\"}",
                JSON.readTree(server.get(server.inferencePort, "/ping").body()).toString());
        assertEquals(200, status("/v2/health/ready"));
        assertEquals(200, server.predict("/predictions/preview", jpeg, "POST").statusCode());

        // A minimum of 0 asks for no worker: still Healthy, though the model itself cannot answer.
        HttpResponse<String> scaled =
                server.send("PUT", server.managementPort, "/models/preview?min_worker=0&synchronous=true");
        assertEquals(200, scaled.statusCode(), scaled.body());
        assertEquals(200, status("/ping"));
        assertEquals(400, status("/v2/models/preview/ready"));
    }

    /**
     * Probes sent as the process starts wait in the backlog of the ports, bound first, and are
     * answered as soon as the listeners start, which is before the models load.
     */
    @Test
    void probesAreAnsweredWhileTheModelsLoad() throws Exception {
        Path store = Files.createDirectories(root.resolve("slow-store"));
        // A few models, so that loading them lasts a moment beyond the listeners' start.
        for (String name : List.of("digits", "digits2", "digits3")) {
            Archives.digits(store.resolve(name + ".mar"), name, "1.0", "convnet_digits.pt", "image_classifier");
        }
        try (ServerProcess loading = ServerProcess.launch(
                Files.createDirectories(root.resolve("loading")),
                store,
                List.of(),
                "disable_token_authorization=true")) {
            CompletableFuture<HttpResponse<String>> ping = firstAnswer(loading, "GET", loading.inferencePort, "/ping");
            CompletableFuture<HttpResponse<String>> live =
                    firstAnswer(loading, "GET", loading.inferencePort, "/v2/health/live");
            CompletableFuture<HttpResponse<String>> predict =
                    firstAnswer(loading, "POST", loading.inferencePort, "/predictions/digits3");

            assertEquals(500, ping.get().statusCode(), ping.get().body());
            assertEquals(
                    "Unhealthy",
                    JSON.readTree(ping.get().body()).get("status").asText(),
                    ping.get().body());
            assertEquals(200, live.get().statusCode(), live.get().body());
            assertEquals(404, predict.get().statusCode(), predict.get().body());
            assertEquals(
                    "ModelNotFoundException",
                    JSON.readTree(predict.get().body()).get("type").asText());

            loading.awaitHealthy();
            assertEquals(200, loading.get(loading.inferencePort, "/ping").statusCode());
        }
    }

    /** The first answer to a request sent as soon as the port is bound; 60 s at most. */
    private static CompletableFuture<HttpResponse<String>> firstAnswer(
            ServerProcess target, String method, int port, String path) {
        return CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                HttpRequest request = target.request(port, path)
                        .timeout(Duration.ofSeconds(60))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build();
                try {
                    return target.http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException e) {
                    // Not bound yet: the process is starting its JVM.
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("port " + port + " never bound", e);
                    }
                    sleep();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int status(String path) throws IOException, InterruptedException {
        return server.get(server.inferencePort, path).statusCode();
    }
}
