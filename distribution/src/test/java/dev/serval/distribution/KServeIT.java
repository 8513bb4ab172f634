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
 * run straight through TorchScript and ONNX models or, as BYTES, through their handlers, in JSON
 * and in the binary tensor data extension, held to PyTorch's numbers.
 */
class KServeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;
    private static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    /** What TorchScript cannot say of the digits model, declared in its model-config.yaml. */
    private static final String DECLARED = """
            inputs:
              - name: input0
                datatype: FP32
                shape: [-1, 1, 28, 28]
            outputs:
              - name: log_probs
                datatype: FP32
                shape: [-1, 10]
            """;

    @TempDir
    static Path root;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(
                store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier", DECLARED);
        Archives.digits(
                store.resolve("digits_onnx.mar"), "digits_onnx", "1.0", "convnet_digits.onnx", "image_classifier");
        Archives.digits(store.resolve("spare.mar"), "spare", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.reviews(
                store.resolve("reviews.mar"),
                "reviews",
                "reviews_distilbert.onnx",
                "hf_sequence_classifier",
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
        assertEquals("log_probs", output.get("name").asText()); // as declared: TorchScript names no output
        assertEquals("FP32", output.get("datatype").asText());
        assertEquals("[1,10]", output.get("shape").toString());
        JsonNode expected = Reference.cases(Archives.DIGITS).get(0).get("log_probs");
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    expected.get(i).asDouble(), output.get("data").get(i).asDouble(), TOLERANCE, output.toString());
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

        JsonNode outputs = ok(infer("/v2/models/reviews/versions/1.0/infer", request.toString()))
                .get("outputs");

        assertEquals(1, outputs.size(), outputs.toString());
        assertEquals("FP32", outputs.get(0).get("datatype").asText());
        assertEquals("[1,3]", outputs.get(0).get("shape").toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    testCase.get("logits").get(i).asDouble(),
                    outputs.get(0).get("data").get(i).asDouble(),
                    TOLERANCE,
                    outputs.toString());
        }
        String name = outputs.get(0).get("name").asText();
        request.putArray("outputs").addObject().put("name", name);
        assertEquals(
                name,
                ok(infer("/v2/models/reviews/infer", request.toString()))
                        .get("outputs")
                        .get(0)
                        .get("name")
                        .asText());
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

        // As bytes, 110 digits' outputs pass it too: the refusal is JSON, with no binary header left on it.
        for (int i = 40 * 28 * 28; i < 110 * 28 * 28; i++) {
            zeros.add(0);
        }
        request.putArray("inputs").add(tensor("input0", "FP32", List.of(110, 1, 28, 28), zeros));
        request.putObject("parameters").put("binary_data_output", true);
        HttpResponse<String> binary = infer("/v2/models/digits/infer", request.toString());
        assertEquals(507, binary.statusCode(), binary.body());
        assertTrue(
                binary.headers().firstValue(HEADER_LENGTH).isEmpty(),
                binary.headers().toString());
        assertEquals(507, JSON.readTree(binary.body()).get("code").asInt());
    }

    /** ONNX Runtime's session describes types and shapes; TorchScript's come from the declaration. */
    @Test
    void metadataCarriesDatatypesAndShapes() throws Exception {
        JsonNode onnx = ok(server.get(server.inferencePort, "/v2/models/reviews"));
        JsonNode digitsOnnx = ok(server.get(server.inferencePort, "/v2/models/digits_onnx"));
        JsonNode torchScript = ok(server.get(server.inferencePort, "/v2/models/digits/versions/1.0"));
        JsonNode undeclared = ok(server.get(server.inferencePort, "/v2/models/spare"));

        assertEquals("onnx_onnxv1", onnx.get("platform").asText());
        assertEquals("[\"1.0\"]", onnx.get("versions").toString());
        assertEquals(
                "[{\"name\":\"input_ids\",\"datatype\":\"INT64\",\"shape\":[-1,-1]},"
                        + "{\"name\":\"attention_mask\",\"datatype\":\"INT64\",\"shape\":[-1,-1]}]",
                onnx.get("inputs").toString());
        assertEquals(
                "[{\"name\":\"logits\",\"datatype\":\"FP32\",\"shape\":[-1,3]}]",
                onnx.get("outputs").toString());
        assertFalse(onnx.has("parameters"), onnx.toString());
        assertEquals(
                "[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}]",
                digitsOnnx.get("inputs").toString());
        assertEquals(
                "[{\"name\":\"log_probs\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]",
                digitsOnnx.get("outputs").toString());
        assertEquals("pytorch_torchscript", torchScript.get("platform").asText());
        assertEquals(
                "[{\"name\":\"input0\",\"datatype\":\"FP32\",\"shape\":[-1,1,28,28]}]",
                torchScript.get("inputs").toString());
        assertEquals(
                "[{\"name\":\"log_probs\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]",
                torchScript.get("outputs").toString());
        assertEquals(0, undeclared.get("inputs").size());
        assertTrue(undeclared.get("parameters").get("inputs").asText().contains("declare them"), undeclared.toString());
    }

    /**
     * The protocol's own example tensor (UINT32) and the types JSON cannot spell are taken: handed to
     * the engine where it takes them (refused in a line, by a model of FP32), else refused before
     * (PyTorch's native code aborts the JVM on an INT16, BF16 or unsigned tensor but UINT8).
     */
    @Test
    void everyProtocolDatatypeIsTaken() throws Exception {
        assertEquals(
                "[\"binary_tensor_data\"]",
                ok(server.get(server.inferencePort, "/v2")).get("extensions").toString());
        for (String datatype : List.of(
                "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP64",
                "BOOL")) {
            String data = datatype.equals("BOOL") ? "[true, false, true, false]" : "[1, 2, 3, 4]";
            for (String model : List.of("digits", "digits_onnx")) {
                String body =
                        "{\"inputs\": [{\"name\": \"%s\", \"shape\": [2, 2], \"datatype\": \"%s\", \"data\": %s}]}"
                                .formatted(model.equals("digits") ? "input0" : "input", datatype, data);
                HttpResponse<String> response = infer("/v2/models/" + model + "/infer", body);
                assertEquals(400, response.statusCode(), response.body());
                String message = JSON.readTree(response.body()).get("message").asText();
                boolean taken = !(model.equals("digits")
                                && List.of("UINT16", "UINT32", "UINT64", "INT16", "BF16")
                                        .contains(datatype))
                        && !(model.equals("digits_onnx")
                                && List.of("UINT16", "UINT32", "UINT64", "INT16")
                                        .contains(datatype));
                assertTrue(message.startsWith(taken ? "The model rejected the inputs: " : "Input "), message);
                assertFalse(message.contains("\n") || message.contains("Traceback"), message);
            }
        }
        // Still serving: no tensor type brought the engine down.
        assertEquals(
                200,
                server.predict(
                                "/predictions/digits",
                                Reference.input(
                                        Archives.DIGITS,
                                        Reference.cases(Archives.DIGITS).get(0)),
                                "PUT")
                        .statusCode());
    }

    /** The FP32 tensor's bytes after the JSON, and the answer's bytes after its JSON, as Triton's clients send and read them. */
    @Test
    void binaryTensorsAnswerAsJsonTensorsDo() throws Exception {
        ArrayNode floats = npyFloats();
        ObjectNode json = JSON.createObjectNode();
        json.putArray("inputs").add(tensor("input0", "FP32", List.of(1, 1, 28, 28), floats));
        JsonNode expected = ok(infer("/v2/models/digits/infer", json.toString()))
                .get("outputs")
                .get(0);

        ByteBuffer raw = ByteBuffer.allocate(floats.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        floats.forEach(value -> raw.putFloat(value.floatValue()));
        ObjectNode header = JSON.createObjectNode();
        ObjectNode input =
                header.putArray("inputs").addObject().put("name", "input0").put("datatype", "FP32");
        List.of(1, 1, 28, 28).forEach(input.putArray("shape")::add);
        input.putObject("parameters").put("binary_data_size", raw.capacity());
        header.putObject("parameters").put("binary_data_output", true);
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(headerBytes.length + raw.capacity())
                .put(headerBytes)
                .put(raw.array())
                .array();

        HttpResponse<byte[]> response = server.post(
                "/v2/models/digits/infer",
                body,
                HEADER_LENGTH,
                String.valueOf(headerBytes.length),
                "Content-Type",
                "application/octet-stream");

        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        int length =
                Integer.parseInt(response.headers().firstValue(HEADER_LENGTH).orElseThrow());
        JsonNode output = JSON.readTree(new String(response.body(), 0, length, StandardCharsets.UTF_8))
                .get("outputs")
                .get(0);
        assertEquals(expected.get("shape"), output.get("shape"));
        assertEquals(40, output.get("parameters").get("binary_data_size").asInt());
        assertEquals(length + 40, response.body().length);
        ByteBuffer answer = ByteBuffer.wrap(response.body(), length, 40).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10; i++) {
            assertEquals(expected.get("data").get(i).floatValue(), answer.getFloat(), output.toString());
        }
    }

    /** An image as BYTES goes through the handler: the answer /predictions gives, PyTorch's numbers. */
    @Test
    void bytesImagesGoThroughTheHandler() throws Exception {
        JsonNode testCase = Reference.cases(Archives.DIGITS).get(0);
        byte[] png = Reference.input(Archives.DIGITS, testCase);
        HttpResponse<String> predictions = server.predict("/predictions/digits", png, "PUT");
        assertEquals(200, predictions.statusCode(), predictions.body());

        ByteBuffer strings = ByteBuffer.allocate(2 * (4 + png.length)).order(ByteOrder.LITTLE_ENDIAN);
        strings.putInt(png.length).put(png).putInt(png.length).put(png);
        byte[] header = ("{\"id\": \"img\", \"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": [2],"
                        + " \"parameters\": {\"binary_data_size\": " + strings.capacity() + "}}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(header.length + strings.capacity())
                .put(header)
                .put(strings.array())
                .array();

        HttpResponse<byte[]> response =
                server.post("/v2/models/digits/infer", body, HEADER_LENGTH, String.valueOf(header.length));

        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("img", answer.get("id").asText());
        JsonNode output = answer.get("outputs").get(0);
        assertEquals("predict", output.get("name").asText());
        assertEquals("BYTES", output.get("datatype").asText());
        assertEquals("[2]", output.get("shape").toString());
        assertEquals(predictions.body(), output.get("data").get(0).asText());
        assertEquals(predictions.body(), output.get("data").get(1).asText());
        double[] probabilities = Reference.softmax(testCase.get("log_probs"));
        JsonNode classes = JSON.readTree(output.get("data").get(0).asText());
        assertEquals(
                probabilities[testCase.get("pred").asInt()],
                classes.get(testCase.get("pred").asText()).asDouble(),
                TOLERANCE,
                classes.toString());
    }

    /** A text as a JSON BYTES string: the sequence classifier's answer, PyTorch's probabilities. */
    @Test
    void bytesTextGoesThroughTheHandler() throws Exception {
        JsonNode testCase = Reference.cases(Archives.REVIEWS).get(0);
        String text = testCase.get("text").asText();
        HttpResponse<String> predictions =
                server.postText("/predictions/reviews", text.getBytes(StandardCharsets.UTF_8), "text/plain");
        assertEquals(200, predictions.statusCode(), predictions.body());
        ObjectNode request = JSON.createObjectNode();
        request.putArray("inputs")
                .add(tensor("text", "BYTES", List.of(1), JSON.createArrayNode().add(text)));

        JsonNode output = ok(infer("/v2/models/reviews/infer", request.toString()))
                .get("outputs")
                .get(0);

        assertEquals(predictions.body(), output.get("data").get(0).asText());
        JsonNode answer = JSON.readTree(output.get("data").get(0).asText());
        assertEquals(List.of(), Reference.reviewMismatches(testCase, answer));
    }

    @Test
    void healthProbesAreOpenAndFollowTheWorkers() throws Exception {
        assertEquals("{\"live\":true}", ok(open("/v2/health/live")).toString());
        assertEquals("{\"ready\":true}", ok(open("/v2/health/ready")).toString());
        assertEquals(
                "serval",
                ok(server.get(server.inferencePort, "/v2")).get("name").asText());

        scaleSpare(0);
        try {
            HttpResponse<String> spare = server.get(server.inferencePort, "/v2/models/spare/ready");
            assertEquals(400, spare.statusCode(), spare.body());
            assertFalse(JSON.readTree(spare.body()).get("ready").asBoolean());
            // A minimum of 0 asks for no worker: the server is ready, as /ping is Healthy (ReadinessIT).
            assertEquals(200, open("/v2/health/ready").statusCode());
            assertEquals(
                    200,
                    server.get(server.inferencePort, "/v2/models/digits/ready").statusCode());
        } finally {
            scaleSpare(1);
        }
        assertEquals(
                200, server.get(server.inferencePort, "/v2/models/spare/ready").statusCode());
        assertEquals(200, open("/v2/health/ready").statusCode());
    }

    @Test
    void badRequestsAreRefusedWithBothErrorShapes() throws Exception {
        String image = "{\"inputs\":[{\"name\":\"input0\",\"datatype\":\"%s\",\"shape\":%s,\"data\":%s}]}";
        assertRefused(400, "digits", "{\"inputs\": [", "not JSON");
        assertRefused(400, "digits", "{}", "no \"inputs\"");
        assertRefused(400, "digits", image.formatted("FP8", "[1]", "[1]"), "datatype FP8");
        assertRefused(400, "digits", image.formatted("FP32", "[1,2]", "[1, 2, 3]"), "has 3 elements");
        assertRefused(400, "digits", image.formatted("INT64", "[1]", "[1.5]"), "is not INT64");
        // TorchScript's error is its interpreter's traceback: the answer says its last line.
        String rejected =
                assertRefused(400, "digits", image.formatted("FP32", "[1,1,2,2]", "[1,2,3,4]"), "model rejected");
        assertFalse(rejected.contains("\n") || rejected.contains("Traceback") || rejected.length() > 400, rejected);
        assertRefused(400, "digits", image.formatted("BYTES", "[1]", "[7]"), "is not BYTES");
        assertRefused(400, "digits", image.formatted("BYTES", "[1]", "[\"seven\"]"), "image");
        assertRefused(400, "digits", image.formatted("UINT32", "[1]", "[-1]"), "is not UINT32");
        assertRefused(
                400,
                "reviews",
                "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [1],"
                        + " \"data\": [\"fine\"]}, {\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1],"
                        + " \"data\": [1]}]}",
                "send it alone");
        assertRefused(
                400,
                "reviews",
                "{\"inputs\": [{\"name\": \"text\", \"datatype\": \"BYTES\", \"shape\": [1],"
                        + " \"data\": [\"fine\"]}], \"outputs\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
                "one output");
        assertRefused(400, "digits", image.formatted("FP32", "[99999,99999,99999]", "[]"), "too many elements");
        assertRefused(400, "reviews", image.formatted("INT64", "[1,1]", "[[1]]"), "takes the inputs");
        assertRefused(404, "nothing", image.formatted("FP32", "[1]", "[1]"), "Model not found");
    }

    /** @return the error's message */
    private static String assertRefused(int status, String model, String body, String message) throws Exception {
        HttpResponse<String> response = infer("/v2/models/" + model + "/infer", body);
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(status, error.get("code").asInt());
        assertTrue(error.get("message").asText().contains(message), response.body());
        assertEquals(error.get("message"), error.get("error"));
        return error.get("message").asText();
    }

    private static void scaleSpare(int workers) throws Exception {
        HttpResponse<String> response = server.http.send(
                server.request(server.managementPort, "/models/spare?min_worker=" + workers + "&synchronous=true")
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
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
        ArrayNode values = JSON.createArrayNode();
        for (float value : Reference.npyFloats(Archives.DIGITS.resolve("inputs/digit_00_label5.npy"))) {
            values.add(value);
        }
        assertEquals(28 * 28, values.size());
        return values;
    }

    private static HttpResponse<String> infer(String path, String body) throws Exception {
        return server.http.send(
                server.request(server.inferencePort, path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> open(String path) throws Exception {
        return server.http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.inferencePort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
