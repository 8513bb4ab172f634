package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe's Open Inference Protocol (v2) on the built distribution: health, metadata, and tensors
 * run straight through TorchScript and ONNX models, held to PyTorch's numbers.
 */
class KServeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path root;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("spare.mar"), "spare", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.reviews(store.resolve("reviews.mar"), "reviews", "reviews_distilbert.onnx", "hf_sequence_classifier",
                List.of("config.json", "tokenizer.json"));
        // Far above any answer below but one: a batch of 40 digits' log-probabilities.
        server = ServerProcess.start(root, store, "max_response_size=4000");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** digit_00_label5.npy is the reference preprocessing, computed by NumPy. */
    @Test
    void fp32TensorThroughTorchScriptGivesPyTorchsLogProbs() throws Exception {
        ObjectNode request = JSON.createObjectNode().put("id", "req-7");
        request.putArray("inputs").add(tensor("input0", "FP32", List.of(1, 1, 28, 28), npyFloats()));

        JsonNode answer = ok(infer("/v2/models/digits/infer", request.toString()));

        assertEquals("digits", answer.get("model_name").asText());
        assertEquals("1.0", answer.get("model_version").asText());
        assertEquals("req-7", answer.get("id").asText());
        JsonNode output = answer.get("outputs").get(0);
        assertEquals("output0", output.get("name").asText()); // TorchScript names no output
        assertEquals("FP32", output.get("datatype").asText());
        assertEquals("[1,10]", output.get("shape").toString());
        JsonNode expected = Reference.cases(Archives.DIGITS).get(0).get("log_probs");
        for (int i = 0; i < 10; i++) {
            assertEquals(expected.get(i).asDouble(), output.get("data").get(i).asDouble(), TOLERANCE, output.toString());
        }
    }

    /** ONNX names its inputs: they may come in any order; INT64 token ids give PyTorch's logits. */
    @Test
    void int64TensorsThroughOnnxGivePyTorchsLogits() throws Exception {
        JsonNode testCase = Reference.cases(Archives.REVIEWS).get(0);
        ArrayNode ids = (ArrayNode) testCase.get("input_ids");
        ArrayNode mask = JSON.createArrayNode();
        ids.forEach(id -> mask.add(1));
        ObjectNode request = JSON.createObjectNode();
        request.putArray("inputs")
                .add(tensor("attention_mask", "INT64", List.of(1, ids.size()), mask))
                .add(tensor("input_ids", "INT64", List.of(1, ids.size()), ids));

        JsonNode outputs = ok(infer("/v2/models/reviews/versions/1.0/infer", request.toString())).get("outputs");

        assertEquals(1, outputs.size(), outputs.toString());
        assertEquals("FP32", outputs.get(0).get("datatype").asText());
        assertEquals("[1,3]", outputs.get(0).get("shape").toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(testCase.get("logits").get(i).asDouble(), outputs.get(0).get("data").get(i).asDouble(),
                    TOLERANCE, outputs.toString());
        }
        String name = outputs.get(0).get("name").asText();
        request.putArray("outputs").addObject().put("name", name);
        assertEquals(name, ok(infer("/v2/models/reviews/infer", request.toString())).get("outputs").get(0)
                .get("name").asText());
    }

    @Test
    void anAnswerOverMaxResponseSizeIs507() throws Exception {
        ArrayNode zeros = JSON.createArrayNode();
        for (int i = 0; i < 40 * 28 * 28; i++) {
            zeros.add(0);
        }
        ObjectNode request = JSON.createObjectNode();
        request.putArray("inputs").add(tensor("input0", "FP32", List.of(40, 1, 28, 28), zeros));

        HttpResponse<String> response = infer("/v2/models/digits/infer", request.toString());

        assertEquals(507, response.statusCode(), response.body());
        assertTrue(response.body().contains("exceeds max_response_size (4000 bytes)"), response.body());
    }

    @Test
    void metadataIsWhatTheEngineDescribes() throws Exception {
        JsonNode onnx = ok(server.get(server.inferencePort, "/v2/models/reviews"));
        JsonNode torchScript = ok(server.get(server.inferencePort, "/v2/models/digits/versions/1.0"));

        assertEquals("onnxruntime_onnx", onnx.get("platform").asText());
        assertEquals("[\"1.0\"]", onnx.get("versions").toString());
        assertEquals("[{\"name\":\"input_ids\"},{\"name\":\"attention_mask\"}]",
                onnx.get("inputs").toString());
        assertEquals("pytorch_torchscript", torchScript.get("platform").asText());
        assertEquals(0, torchScript.get("inputs").size());
        assertTrue(torchScript.get("parameters").get("inputs").asText().contains("not described"));
    }

    @Test
    void healthProbesAreOpenAndFollowTheWorkers() throws Exception {
        assertEquals("{\"live\":true}", ok(open("/v2/health/live")).toString());
        assertEquals("{\"ready\":true}", ok(open("/v2/health/ready")).toString());
        assertEquals("serval", ok(server.get(server.inferencePort, "/v2")).get("name").asText());

        scaleSpare(0);
        try {
            HttpResponse<String> spare = server.get(server.inferencePort, "/v2/models/spare/ready");
            assertEquals(400, spare.statusCode(), spare.body());
            assertFalse(JSON.readTree(spare.body()).get("ready").asBoolean());
            // A minimum of 0 asks for no worker: the server is ready, as /ping is Healthy (ReadinessIT).
            assertEquals(200, open("/v2/health/ready").statusCode());
            assertEquals(200, server.get(server.inferencePort, "/v2/models/digits/ready").statusCode());
        } finally {
            scaleSpare(1);
        }
        assertEquals(200, server.get(server.inferencePort, "/v2/models/spare/ready").statusCode());
        assertEquals(200, open("/v2/health/ready").statusCode());
    }

    @Test
    void badRequestsAreRefusedWithBothErrorShapes() throws Exception {
        String image = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"%s\",\"shape\":%s,\"data\":%s}]}";
        assertRefused(400, "digits", "{\"inputs\": [", "not JSON");
        assertRefused(400, "digits", "{}", "no \"inputs\"");
        assertRefused(400, "digits", image.formatted("FP8", "[1]", "[1]"), "datatype FP8");
        assertRefused(400, "digits", image.formatted("FP32", "[1,2]", "[1, 2, 3]"), "has 3 elements");
        assertRefused(400, "digits", image.formatted("INT64", "[1]", "[1.5]"), "is not INT64");
        assertRefused(400, "digits", image.formatted("FP32", "[1,1,2,2]", "[1,2,3,4]"), "model rejected");
        assertRefused(400, "digits", image.formatted("BYTES", "[1]", "[7]"), "is not BYTES");
        assertRefused(400, "digits", image.formatted("BYTES", "[1]", "[\"seven\"]"), "model rejected");
        assertRefused(400, "digits", image.formatted("FP32", "[99999,99999,99999]", "[]"), "too many elements");
        assertRefused(400, "reviews", image.formatted("INT64", "[1,1]", "[[1]]"), "takes the inputs");
        assertRefused(404, "nothing", image.formatted("FP32", "[1]", "[1]"), "Model not found");
    }

    private static void assertRefused(int status, String model, String body, String message) throws Exception {
        HttpResponse<String> response = infer("/v2/models/" + model + "/infer", body);
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(status, error.get("code").asInt());
        assertTrue(error.get("message").asText().contains(message), response.body());
        assertEquals(error.get("message"), error.get("error"));
    }

    private static void scaleSpare(int workers) throws Exception {
        HttpResponse<String> response = server.http.send(server.request(server.managementPort,
                        "/models/spare?min_worker=" + workers + "&synchronous=true")
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    private static ObjectNode tensor(String name, String datatype, List<Integer> shape, JsonNode data) {
        ObjectNode tensor = JSON.createObjectNode().put("name", name).put("datatype", datatype);
        shape.forEach(tensor.putArray("shape")::add);
        tensor.set("data", data);
        return tensor;
    }

    /** The .npy's float32 values: a version 1 header, then the data, little-endian. */
    private static ArrayNode npyFloats() throws Exception {
        ByteBuffer npy = ByteBuffer.wrap(Files.readAllBytes(Archives.DIGITS.resolve("inputs/digit_00_label5.npy")))
                .order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = npy.getShort(8);
        npy.position(10 + headerLength);
        ArrayNode values = JSON.createArrayNode();
        while (npy.remaining() >= 4) {
            values.add(npy.getFloat());
        }
        assertEquals(28 * 28, values.size());
        return values;
    }

    private static HttpResponse<String> infer(String path, String body) throws Exception {
        return server.http.send(server.request(server.inferencePort, path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> open(String path) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.inferencePort + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
