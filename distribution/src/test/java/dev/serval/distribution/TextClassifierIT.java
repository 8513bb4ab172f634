package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fine-tuned DistilBERT over HTTP against the built distribution, three ways: the shipped
 * archive as the seed made it ({@code text_classifier}, TorchScript, with {@code tokenizer.json}),
 * {@code hf_sequence_classifier} on ONNX, and {@code text_classifier} on ONNX with only
 * {@code vocab.txt}. Each answers the 25 reference texts as PyTorch does.
 */
class TextClassifierIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;
    private static final List<String> LABELS = List.of("negative", "neutral", "positive");
    private static final String SHIPPED = "reviews_distilbert";
    private static final String HF_ONNX = "reviews_hf_onnx";
    private static final String WORDPIECE = "reviews_wordpiece";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static JsonNode cases;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Files.copy(ServerProcess.DIST.resolve("model-store/" + SHIPPED + ".mar"), store.resolve(SHIPPED + ".mar"));
        Archives.reviews(
                store.resolve(HF_ONNX + ".mar"),
                HF_ONNX,
                "reviews_distilbert.onnx",
                "hf_sequence_classifier",
                List.of("config.json", "tokenizer.json"));
        Archives.reviews(
                store.resolve(WORDPIECE + ".mar"),
                WORDPIECE,
                "reviews_distilbert.onnx",
                "text_classifier",
                List.of("config.json", "vocab.txt", "tokenizer_config.json"));
        cases = JSON.readTree(Archives.REVIEWS.resolve("reference.json").toFile())
                .get("cases");
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {SHIPPED, HF_ONNX, WORDPIECE})
    void everyReferenceTextIsClassifiedAsPyTorchDoes(String model) throws Exception {
        List<String> failures = new ArrayList<>();
        double maxDiff = 0;
        for (JsonNode testCase : cases) {
            HttpResponse<String> response = text(model, testCase.get("text").asText());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            if (!testCase.get("pred").asText().equals(answer.fieldNames().next())) {
                failures.add(testCase.get("text").asText() + ": " + answer + ", reference " + testCase.get("pred"));
            }
            double[] expected = Reference.softmax(testCase.get("logits"));
            for (int label = 0; label < LABELS.size(); label++) {
                maxDiff = Math.max(
                        maxDiff,
                        Math.abs(expected[label] - answer.get(LABELS.get(label)).asDouble()));
            }
        }
        System.out.printf(
                "TextClassifierIT %s: max |probability - PyTorch| over %d texts = %.2e%n",
                model, cases.size(), maxDiff);
        assertEquals(25, cases.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(maxDiff <= TOLERANCE, "max probability difference " + maxDiff);
    }

    @Test
    void textClassifierHandsArchivesWithTokenizerJsonToTheHuggingFaceHandler() throws Exception {
        assertTrue(
                server.log().contains("Model " + SHIPPED + ": tokenizer.json found, served by hf_sequence_classifier"));
        assertFalse(server.log().contains("Model " + WORDPIECE + ": tokenizer.json found"));
    }

    @Test
    void topkOneAnswersOnlyTheTopLabel() throws Exception {
        JsonNode answer = JSON.readTree(
                text(SHIPPED + "?topk=1", cases.get(2).get("text").asText()).body());
        assertEquals(1, answer.size(), answer.toString());
        assertEquals(cases.get(2).get("pred").asText(), answer.fieldNames().next());
    }

    @Test
    void jsonBodiesCarryTheTextAsTorchServeClientsSendIt() throws Exception {
        for (String field : List.of("text", "data")) {
            String body = JSON.writeValueAsString(
                    Map.of(field, cases.get(1).get("text").asText()));
            HttpResponse<String> response = server.postText(
                    "/predictions/" + HF_ONNX, body.getBytes(StandardCharsets.UTF_8), "application/json");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(
                    cases.get(1).get("pred").asText(),
                    JSON.readTree(response.body()).fieldNames().next());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SHIPPED, WORDPIECE})
    void badInputIsA400AndTheWorkerServesOn(String model) throws Exception {
        assertBadRequest(server.postText("/predictions/" + model, new byte[0], "text/plain"), "empty");
        assertBadRequest(
                server.postText("/predictions/" + model, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "text/plain"),
                "UTF-8");
        assertBadRequest(
                server.postText(
                        "/predictions/" + model, "{\"text\": ".getBytes(StandardCharsets.UTF_8), "application/json"),
                "JSON");
        assertEquals(200, text(model, cases.get(0).get("text").asText()).statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {SHIPPED, WORDPIECE})
    void aMegabyteTextIsCutToTheModelsLength(String model) throws Exception {
        String text = ("the soup was superb, the staff was friendly. ".repeat(25_000)).substring(0, 1_000_000);
        long start = System.nanoTime();
        HttpResponse<String> response = text(model, text);
        System.out.printf(
                "TextClassifierIT %s: 1 MB text answered in %d ms%n", model, (System.nanoTime() - start) / 1_000_000);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = JSON.readTree(response.body());
        assertEquals(3, answer.size(), answer.toString());
        assertEquals("positive", answer.fieldNames().next());
    }

    private static HttpResponse<String> text(String model, String text) throws Exception {
        return server.postText("/predictions/" + model, text.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    private static void assertBadRequest(HttpResponse<String> response, String messagePart) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("BadRequestException", body.get("type").asText(), response.body());
        assertTrue(body.get("message").asText().contains(messagePart), response.body());
    }
}
