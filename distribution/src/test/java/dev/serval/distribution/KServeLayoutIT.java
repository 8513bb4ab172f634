package dev.serval.distribution;

import static dev.serval.distribution.ServerProcess.assertRefusedInOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: Serval in place of TorchServe under KServe's TorchServe runtime, which mounts the model
 * at {@code /mnt/models} and starts the server with {@code --model-store=/mnt/models/model-store
 * --ts-config=/mnt/models/config/config.properties} and {@code TS_SERVICE_ENVELOPE}. The config is
 * KServe's own sample ({@code src/test/resources/kserve/config.properties}, copied from KServe's
 * {@code docs/samples/v1beta1/torchserve/v1/}), its addresses moved to free loopback ports and its
 * model store to the test's; its {@code model_snapshot} names {@code mnist.mar}, here the
 * distribution's digits archive under that name. One server runs as KServe's sample
 * InferenceService runs TorchServe ({@code --disable-token-auth --enable-model-api}), a second
 * with keys.
 */
class KServeLayoutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("src/test/resources/kserve").toAbsolutePath();
    /** The runtime's environment: its serviceEnvelope label. */
    private static final Map<String, String> ENVELOPE = Map.of("TS_SERVICE_ENVELOPE", "kserve");

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = startLayout(root.resolve("kserve"), List.of("--disable-token-auth", "--enable-model-api"));
        port = server.inferencePort;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * @param dir the server's folder: {@code mnt/models} in it is KServe's model mount
     * @param options more options, after the runtime's
     * @return the server, once healthy
     */
    private static ServerProcess startLayout(Path dir, List<String> options) throws Exception {
        Path mount = dir.resolve("mnt/models");
        Path store = Files.createDirectories(mount.resolve("model-store"));
        Files.copy(ServerProcess.DIST.resolve("model-store/digits.mar"), store.resolve("mnist.mar"));
        Files.copy(ServerProcess.DIST.resolve("model-store/reviews_distilbert.mar"), store.resolve("reviews.mar"));
        int[] ports = ServerProcess.freePorts(2);
        Path config = Files.createDirectories(mount.resolve("config")).resolve("config.properties");
        Files.writeString(
                config,
                sample(Map.of(
                        "inference_address=http://0.0.0.0:8085", "inference_address=http://127.0.0.1:" + ports[0],
                        "management_address=http://0.0.0.0:8085", "management_address=http://127.0.0.1:" + ports[0],
                        "metrics_address=http://0.0.0.0:8082", "metrics_address=http://127.0.0.1:" + ports[1],
                        "model_store=/mnt/models/model-store", "model_store=" + store)));
        List<String> arguments = new ArrayList<>(List.of("--model-store=" + store, "--ts-config=" + config));
        arguments.addAll(ServerProcess.folders(dir));
        arguments.addAll(options);
        return ServerProcess.launch(dir, arguments, ENVELOPE, ports[0], ports[0], ports[1])
                .awaitHealthy();
    }

    /** @return KServe's sample config.properties with these lines replaced, each of which it has */
    private static String sample(Map<String, String> replaced) throws IOException {
        String text = Files.readString(SAMPLES.resolve("config.properties"));
        for (Map.Entry<String, String> line : replaced.entrySet()) {
            assertTrue(text.contains(line.getKey() + "\n"), line.getKey());
            text = text.replace(line.getKey() + "\n", line.getValue() + "\n");
        }
        return text;
    }

    @Test
    void everyKeyOfKServesConfigIsTakenAndBothApisShareItsOneAddress() throws Exception {
        String log = server.log();
        assertTrue(log.contains("Inference and management API listening on http://127.0.0.1:" + port), log);
        assertFalse(log.contains("not supported by Serval yet"), log);
        for (String line : List.of(
                "number_of_netty_threads does not apply: Serval's listeners are Jetty's",
                "install_py_dep_per_model does not apply: Serval runs no Python",
                "TS_SERVICE_ENVELOPE: service_envelope=kserve is not needed: Serval speaks KServe's v1")) {
            assertEquals(1, server.logged(line), line + "\n" + log);
        }

        assertEquals(200, call(server, "GET", "/ping", null, Optional.empty()).statusCode());
        assertTrue(ok(call(server, "GET", "/v1/models", null, Optional.empty()))
                .get("models")
                .toString()
                .startsWith("[\"mnist\""));
        assertEquals(
                "mnist",
                ok(call(server, "GET", "/models", null, Optional.empty()))
                        .at("/models/0/modelName")
                        .asText());
        assertEquals(200, server.get(server.metricsPort, "/metrics").statusCode());
        // The one description lists both APIs' routes.
        JsonNode description = ok(call(server, "OPTIONS", "/", null, Optional.empty()));
        assertTrue(description.get("paths").has("/v1/models/{model}:predict"), description.toString());
        assertTrue(description.get("paths").has("/models/{model}/{version}/set-default"), description.toString());
    }

    /** As TorchServe restores model_snapshot: the archive under the snapshot's name, with its settings. */
    @Test
    void modelSnapshotRegistersItsModelWithItsSettings() throws Exception {
        JsonNode mnist =
                ok(call(server, "GET", "/models/mnist", null, Optional.empty())).get(0);

        assertEquals("mnist.mar", mnist.get("modelUrl").asText());
        assertEquals("1.0", mnist.get("modelVersion").asText());
        assertEquals(1, mnist.get("minWorkers").asInt());
        assertEquals(5, mnist.get("maxWorkers").asInt());
        assertEquals(1, mnist.get("batchSize").asInt());
        assertEquals(5000, mnist.get("maxBatchDelay").asInt());
        assertEquals(120, mnist.get("responseTimeout").asInt());
        assertTrue(mnist.get("loadedAtStartup").asBoolean());
        // job_queue_size=10
        assertEquals(10, mnist.at("/jobQueueStatus/remainingCapacity").asInt());
        assertEquals(
                "{\"name\":\"mnist\",\"ready\":true}",
                ok(call(server, "GET", "/v1/models/mnist", null, Optional.empty()))
                        .toString());
    }

    /** KServe's own sample request, and a reference digit, over KServe's v1 protocol. */
    @Test
    void kservesSampleRequestIsPredicted() throws Exception {
        JsonNode sample = ok(call(
                        server,
                        "POST",
                        "/v1/models/mnist:predict",
                        Files.readString(SAMPLES.resolve("mnist.json")),
                        Optional.empty()))
                .get("predictions");
        // An MNIST digit (TorchServe's MNIST model says 2), which the example model, not trained on
        // MNIST, answers with its five best classes.
        assertEquals(1, sample.size(), sample.toString());
        assertEquals(5, sample.get(0).size(), sample.toString());

        JsonNode reference = Reference.cases(Archives.DIGITS).get(0);
        String image = Base64.getEncoder().encodeToString(Reference.input(Archives.DIGITS, reference));
        JsonNode predictions = ok(call(
                        server,
                        "POST",
                        "/v1/models/mnist:predict",
                        "{\"instances\": [{\"data\": \"" + image + "\"}]}",
                        Optional.empty()))
                .get("predictions");
        assertEquals(List.of(), Reference.digitMismatches(reference, predictions.get(0)));
    }

    /** --enable-model-api, as KServe's sample InferenceService passes it: register on the same port. */
    @Test
    void aModelRegisteredOnTheSameListenerIsServedOverV1() throws Exception {
        // model_snapshot, in place of load_models, names mnist only.
        assertEquals(
                "{\"models\":[\"mnist\"]}",
                ok(call(server, "GET", "/v1/models", null, Optional.empty())).toString());
        HttpResponse<String> registered =
                call(server, "POST", "/models?url=reviews.mar&synchronous=true", null, Optional.empty());
        assertEquals(200, registered.statusCode(), registered.body());

        assertEquals(
                "{\"models\":[\"mnist\",\"reviews_distilbert\"]}",
                ok(call(server, "GET", "/v1/models", null, Optional.empty())).toString());
        JsonNode prediction = ok(call(
                        server,
                        "POST",
                        "/v1/models/reviews_distilbert:predict",
                        "{\"instances\": [{\"data\": \"The food was great\"}]}",
                        Optional.empty()))
                .at("/predictions/0");
        assertEquals("positive", prediction.fieldNames().next(), prediction.toString());
    }

    /** With keys, each route of the one listener takes its own API's key, as on two listeners. */
    @Test
    void withKeysEachRouteOfTheOneListenerTakesItsOwnKey() throws Exception {
        try (ServerProcess keyed = startLayout(root.resolve("keyed"), List.of())) {
            String predict = "{\"instances\": [\""
                    + Base64.getEncoder()
                            .encodeToString(Reference.input(
                                    Archives.DIGITS,
                                    Reference.cases(Archives.DIGITS).get(0)))
                    + "\"]}";
            assertEquals(
                    401,
                    call(keyed, "POST", "/v1/models/mnist:predict", predict, Optional.of("management"))
                            .statusCode());
            assertEquals(
                    200,
                    call(keyed, "POST", "/v1/models/mnist:predict", predict, Optional.of("inference"))
                            .statusCode());
            assertEquals(
                    401,
                    call(keyed, "GET", "/models", null, Optional.of("inference"))
                            .statusCode());
            assertEquals(
                    200,
                    call(keyed, "GET", "/models", null, Optional.of("management"))
                            .statusCode());
            assertEquals(
                    401,
                    call(keyed, "GET", "/v1/models", null, Optional.empty()).statusCode());
            assertEquals(
                    200, call(keyed, "GET", "/ping", null, Optional.empty()).statusCode());
            assertEquals(
                    200,
                    call(keyed, "OPTIONS", "/", null, Optional.of("inference")).statusCode());
            assertEquals(
                    200,
                    call(keyed, "OPTIONS", "/", null, Optional.of("management")).statusCode());
            assertNotEquals(keyed.key("inference"), keyed.key("management"));
        }
    }

    @Test
    void aMalformedModelSnapshotIsRefusedAtStartInOneLineNamingTheKey() throws Exception {
        Path dir = Files.createDirectories(root.resolve("malformed"));
        int[] ports = ServerProcess.freePorts(2);
        Path config = Files.writeString(
                dir.resolve("config.properties"),
                sample(Map.of(
                                "inference_address=http://0.0.0.0:8085",
                                        "inference_address=http://127.0.0.1:" + ports[0],
                                "management_address=http://0.0.0.0:8085",
                                        "management_address=http://127.0.0.1:" + ports[0],
                                "metrics_address=http://0.0.0.0:8082", "metrics_address=http://127.0.0.1:" + ports[1]))
                        .replace("model_snapshot={\"name\"", "model_snapshot={\"name\":,"));
        List<String> arguments = new ArrayList<>(List.of("--model-store=" + dir, "--ts-config=" + config));
        arguments.addAll(ServerProcess.folders(dir));

        ServerProcess.Exit exit = ServerProcess.exit(arguments, Map.of(), dir.resolve("out.log"));

        assertRefusedInOneLine(exit, "config.properties: model_snapshot: is not JSON: ");
    }

    /** @param key the key sent: {@code inference}, {@code management}, {@code API}; none when empty */
    private static HttpResponse<String> call(
            ServerProcess on, String method, String path, String body, Optional<String> key)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.inferencePort + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        key.ifPresent(kind -> request.header("Authorization", "Bearer " + on.key(kind)));
        return on.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
