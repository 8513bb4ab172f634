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
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inputs TorchServe's vision handlers take besides an image body — a base64 image in JSON, a
 * NumPy tensor, WebP — give PyTorch's numbers over HTTP, and every kind of bad input is a 400 with
 * TorchServe's error JSON that leaves the worker serving.
 */
class ImageInputsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;
    private static final String DIGIT = "images/digit_00_label5.png";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] png;
    private static double[] reference;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve(DIGIT));
        for (JsonNode testCase : Reference.cases(Archives.DIGITS)) {
            if (testCase.get("file").asText().equals(DIGIT)) {
                reference = Reference.softmax(testCase.get("log_probs"));
            }
        }
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** digit_00_label5.npy is the reference preprocessing computed by NumPy, not by Serval. */
    @Test
    void npyTensorGivesPyTorchsProbabilities() throws Exception {
        byte[] npy = Files.readAllBytes(Archives.DIGITS.resolve("inputs/digit_00_label5.npy"));
        assertMatchesReference(server.post("/predictions/digits", npy, "Content-Type", "application/x-npy"));
    }

    /** Lossless WebP (written by libwebp's cwebp) holds the PNG's pixels. */
    @Test
    void webpGivesPyTorchsProbabilities() throws Exception {
        byte[] webp = Files.readAllBytes(Archives.DIGITS.resolve("inputs/digit_00_label5.webp"));
        assertMatchesReference(server.post("/predictions/digits", webp));
    }

    @Test
    void base64ImageInJsonAnswersAsTheRawImage() throws Exception {
        byte[] json =
                ("{\"data\": \"" + Base64.getEncoder().encodeToString(png) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> fromJson = server.post("/predictions/digits", json, "Content-Type", "application/json");
        assertMatchesReference(fromJson);
        assertEquals(JSON.readTree(server.post("/predictions/digits", png).body()), JSON.readTree(fromJson.body()));
    }

    @Test
    void topkComesFromTheRequest() throws Exception {
        JsonNode answer = assertMatchesReference(server.post("/predictions/digits?topk=3", png));
        assertEquals(3, answer.size());
    }

    @Test
    void badInputsAreBadRequestsAndTheWorkerServesOn() throws Exception {
        byte[] jpeg = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        byte[] corrupt = png.clone();
        Arrays.fill(corrupt, 40, corrupt.length - 12, (byte) 0x5a);
        assertBadRequest(server.post("/predictions/digits", corrupt), "cannot be decoded");
        assertBadRequest(server.post("/predictions/digits", Arrays.copyOf(png, png.length / 2)), "cannot be decoded");
        assertBadRequest(server.post("/predictions/digits", Arrays.copyOf(jpeg, jpeg.length / 2)), "cannot be decoded");
        assertBadRequest(server.post("/predictions/digits", new byte[0]), "empty");
        assertBadRequest(server.post("/predictions/digits", "plain text".getBytes()), "not an image");
        assertBadRequest(
                server.post("/predictions/digits", Images.blankPng(9_500, 9_500)),
                "90250000 pixels, more than the limit of 89478485");
        assertBadRequest(
                server.post("/predictions/digits", "{\"data\": 1}".getBytes(), "Content-Type", "application/json"),
                "{\"data\"");
        assertBadRequest(server.post("/predictions/digits", png, "Content-Type", "application/x-npy"), ".npy");
        assertBadRequest(server.post("/predictions/digits?topk=0", png), "topk");
        assertMatchesReference(server.post("/predictions/digits", png));
    }

    private static JsonNode assertMatchesReference(HttpResponse<byte[]> response) throws Exception {
        assertEquals(200, response.statusCode(), new String(response.body()));
        JsonNode answer = JSON.readTree(response.body());
        assertEquals("5", answer.fieldNames().next());
        answer.fields().forEachRemaining(entry -> {
            double want = reference[Integer.parseInt(entry.getKey())];
            assertEquals(want, entry.getValue().asDouble(), TOLERANCE, "class " + entry.getKey());
        });
        return answer;
    }

    private static void assertBadRequest(HttpResponse<byte[]> response, String message) throws Exception {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(400, response.statusCode(), body);
        JsonNode error = JSON.readTree(body);
        assertEquals(400, error.get("code").asInt(), body);
        assertEquals("BadRequestException", error.get("type").asText(), body);
        assertFalse(error.get("message").asText().isBlank(), body);
        assertTrue(error.get("message").asText().contains(message), body);
    }
}
