package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe's v1 protocol on the built distribution's inference listener: the models, their
 * readiness, and {@code :predict}, each instance one request to the model's handler (as
 * TorchServe's KServe envelope hands it over), queued together so that they batch, the answers
 * held to PyTorch's numbers and to what {@code /predictions} answers.
 */
class KServeV1IT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        // One worker batching 8 with a long delay: instances queued together are one batch, and,
        // batching being adaptive by default, a lone request is not held for the delay.
        Archives.digits(
                store.resolve("batched.mar"),
                "batched",
                "1.0",
                "convnet_digits.pt",
                "image_classifier",
                "batchSize: 8\nmaxBatchDelay: 2000");
        Archives.reviews(
                store.resolve("reviews.mar"),
                "reviews",
                "reviews_distilbert.onnx",
                "hf_sequence_classifier",
                List.of("config.json", "tokenizer.json"));
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void listsTheModelsAndSaysEachOnesReadiness() throws Exception {
        assertEquals(
                "{\"models\":[\"batched\",\"digits\",\"reviews\"]}",
                ok(server.get(server.inferencePort, "/v1/models")).toString());
        assertEquals(
                "{\"name\":\"digits\",\"ready\":true}",
                ok(server.get(server.inferencePort, "/v1/models/digits")).toString());

        scale("reviews", 0);
        try {
            HttpResponse<String> notReady = server.get(server.inferencePort, "/v1/models/reviews");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertEquals(
                    "{\"name\":\"reviews\",\"ready\":false}",
                    JSON.readTree(notReady.body()).toString());
        } finally {
            scale("reviews", 1);
        }
        HttpResponse<String> unknown = server.get(server.inferencePort, "/v1/models/nope");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(
                "Model not found: nope",
                JSON.readTree(unknown.body()).get("message").asText());
    }

    /** Every reference digit, as {"data": base64} and as a bare base64 string: PyTorch's numbers, in order. */
    @Test
    void digitsInstancesGetPyTorchsProbabilitiesInOrder() throws Exception {
        List<JsonNode> cases = Reference.cases(Archives.DIGITS);
        ObjectNode request = JSON.createObjectNode();
        ArrayNode instances = request.putArray("instances");
        for (int i = 0; i < cases.size(); i++) {
            String image = Base64.getEncoder().encodeToString(Reference.input(Archives.DIGITS, cases.get(i)));
            if (i % 2 == 0) {
                instances.addObject().put("data", image);
            } else {
                instances.add(image);
            }
        }

        JsonNode predictions = ok(predict("digits", request.toString())).get("predictions");

        assertEquals(cases.size(), predictions.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            mismatches.addAll(Reference.digitMismatches(cases.get(i), predictions.get(i)));
        }
        assertEquals(List.of(), mismatches);
        // What /predictions answers the same image, and its ?topk=.
        byte[] png = Reference.input(Archives.DIGITS, cases.get(0));
        assertEquals(
                JSON.readTree(
                        server.predict("/predictions/digits?topk=2", png, "PUT").body()),
                ok(predict(
                                "digits?topk=2",
                                "{\"instances\": [{\"data\": \""
                                        + Base64.getEncoder().encodeToString(png) + "\"}]}"))
                        .at("/predictions/0"));
    }

    @Test
    void textInstancesGetPyTorchsProbabilities() throws Exception {
        JsonNode testCase = Reference.cases(Archives.REVIEWS).get(0);
        String text = testCase.get("text").asText();
        HttpResponse<String> direct =
                server.postText("/predictions/reviews", text.getBytes(StandardCharsets.UTF_8), "text/plain");
        ObjectNode request = JSON.createObjectNode();
        request.putArray("instances").add(text).addObject().put("data", text);

        JsonNode predictions = ok(predict("reviews", request.toString())).get("predictions");

        assertEquals(2, predictions.size());
        for (JsonNode answer : predictions) {
            assertEquals(JSON.readTree(direct.body()), answer);
            assertEquals(List.of(), Reference.reviewMismatches(testCase, answer));
        }
    }

    /** The instances go through the model's queue together, so that its batchSize applies. */
    @Test
    void instancesAreBatched() throws Exception {
        JsonNode before = served();
        String image = Base64.getEncoder()
                .encodeToString(Reference.input(
                        Archives.DIGITS, Reference.cases(Archives.DIGITS).get(0)));
        ObjectNode request = JSON.createObjectNode();
        ArrayNode instances = request.putArray("instances");
        for (int i = 0; i < 8; i++) {
            instances.addObject().put("data", image);
        }

        JsonNode predictions = ok(predict("batched", request.toString())).get("predictions");

        assertEquals(8, predictions.size());
        JsonNode after = served();
        assertEquals(8, after.get("requests").asLong() - before.get("requests").asLong());
        assertTrue(after.get("batches").asLong() - before.get("batches").asLong() < 8, after.toString());
    }

    /** Issue 23, goal 2: by default, batching on holds no lone request for others that are not coming. */
    @Test
    void aLoneRequestIsAnsweredWellUnderTheBatchDelay() throws Exception {
        byte[] png = Reference.input(
                Archives.DIGITS, Reference.cases(Archives.DIGITS).get(0));
        // The first forward pass of a version compiles; the one measured is the next.
        assertEquals(200, server.predict("/predictions/batched", png, "PUT").statusCode());

        long start = System.nanoTime();
        HttpResponse<String> lone = server.predict("/predictions/batched", png, "PUT");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(200, lone.statusCode(), lone.body());
        assertTrue(tookMs < 1_000, "batchSize 8, maxBatchDelay 2000 ms: answered after " + tookMs + " ms");
        assertEquals(
                "adaptive",
                ok(server.get(server.managementPort, "/models/batched"))
                        .get(0)
                        .get("batchPolicy")
                        .asText());
    }

    @Test
    void explainIsNotImplementedAndEveryRouteTakesTheInferenceKey() throws Exception {
        HttpResponse<String> explained = server.http.send(
                server.request(server.inferencePort, "/v1/models/digits:explain")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [1]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(501, explained.statusCode(), explained.body());
        assertTrue(JSON.readTree(explained.body()).get("message").asText().contains(":predict"), explained.body());

        for (String path : List.of("/v1/models", "/v1/models/digits", "/v1/models/digits:predict")) {
            String method = path.endsWith(":predict") ? "POST" : "GET";
            for (String key : new String[] {null, server.key("management")}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.inferencePort + path))
                        .method(method, HttpRequest.BodyPublishers.ofString("{\"instances\": [1]}"));
                if (key != null) {
                    request.header("Authorization", "Bearer " + key);
                }
                HttpResponse<String> refused = server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, refused.statusCode(), path + " " + refused.body());
                assertEquals(
                        "InvalidKeyException",
                        JSON.readTree(refused.body()).get("type").asText());
            }
        }
        assertFalse(server.log().contains("Exception\n\tat "), "no stack trace in the log");
    }

    private static JsonNode served() throws Exception {
        return ok(server.get(server.managementPort, "/models/batched")).get(0).get("served");
    }

    /** @param modelAndQuery the model, and any query string */
    private static HttpResponse<String> predict(String modelAndQuery, String body) throws Exception {
        int query = modelAndQuery.indexOf('?');
        String path = query < 0
                ? modelAndQuery + ":predict"
                : modelAndQuery.substring(0, query) + ":predict" + modelAndQuery.substring(query);
        return server.http.send(
                server.request(server.inferencePort, "/v1/models/" + path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void scale(String model, int workers) throws Exception {
        HttpResponse<String> response = server.http.send(
                server.request(
                                server.managementPort,
                                "/models/" + model + "?min_worker=" + workers + "&synchronous=true")
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
