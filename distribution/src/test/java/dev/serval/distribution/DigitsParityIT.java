package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 40 reference digits, over HTTP against the built distribution, agree with PyTorch: the
 * reference's top class, and probabilities equal to softmax(reference log-probabilities).
 */
class DigitsParityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(
                store.resolve("digits_onnx.mar"), "digits_onnx", "1.0", "convnet_digits.onnx", "image_classifier");
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits", "digits_onnx"})
    void everyReferenceDigitMatchesPyTorch(String model) throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode testCase : Reference.cases(Archives.DIGITS)) {
            String file = testCase.get("file").asText();
            HttpResponse<String> response =
                    server.predict("/predictions/" + model, Reference.input(Archives.DIGITS, testCase), "PUT");
            assertEquals(200, response.statusCode(), file + ": " + response.body());
            JsonNode answer = JSON.readTree(response.body());
            assertEquals(5, answer.size(), file + ": topk 5");
            failures.addAll(Reference.digitMismatches(testCase, answer));
            checked++;
        }
        assertEquals(40, checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
