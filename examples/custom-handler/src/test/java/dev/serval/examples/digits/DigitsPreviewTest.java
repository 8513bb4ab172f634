package dev.serval.examples.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The handler on the digits model, through the SDK test kit: no server, no OSGi, no HTTP. */
class DigitsPreviewTest {

    /** The model folder: a TorchScript ConvNet, its manifest and its model-config.yaml. */
    private static final Path MODEL = Path.of("../../distribution/models/digits");

    private static TestModel model;
    private static TestWorker<DigitsPreview> worker;

    @BeforeAll
    static void start() throws Exception {
        model = TestModel.load(MODEL);
        worker = model.start(new DigitsPreview());
    }

    @AfterAll
    static void stop() {
        worker.close();
        model.close();
    }

    @Test
    void answersTheDigitWithThePreviewTheModelSaw() throws Exception {
        byte[] image = Files.readAllBytes(MODEL.resolve("images/digit_00_label5.png"));

        Map<String, Object> answer = answer(worker.handle(Request.builder(image).build()));

        assertEquals("5", answer.get("digit"));
        assertTrue((float) answer.get("probability") > 0.9f, answer.toString());
        String preview = (String) answer.get("preview");
        assertTrue(preview.startsWith("data:image/png;base64,"), preview);
        BufferedImage png = ImageIO.read(
                new ByteArrayInputStream(Base64.getDecoder().decode(preview.substring(preview.indexOf(',') + 1))));
        assertEquals(28, png.getWidth());
        assertEquals(28, png.getHeight());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)), answer.get("sha256"));
    }

    @Test
    void aBatchGetsPyTorchsDigitForEveryReferenceImage() throws Exception {
        JsonNode cases = new ObjectMapper()
                .readTree(MODEL.resolve("reference.json").toFile())
                .get("cases");
        List<Request> batch = new ArrayList<>();
        for (JsonNode c : cases) {
            batch.add(Request.builder(
                            Files.readAllBytes(MODEL.resolve(c.get("file").asText())))
                    .build());
        }

        List<Response> responses = worker.handle(batch);

        double maxDiff = 0;
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            Map<String, Object> answer = answer(responses.get(i));
            assertEquals(
                    c.get("pred").asText(), answer.get("digit"), c.get("file").asText());
            double pytorch =
                    Math.exp(c.get("log_probs").get(c.get("pred").asInt()).asDouble());
            maxDiff = Math.max(maxDiff, Math.abs(pytorch - (float) answer.get("probability")));
        }
        System.out.printf("digits_preview: %d images, max |probability - PyTorch| = %.4f%n", cases.size(), maxDiff);
        assertTrue(maxDiff < 0.1, "max probability difference " + maxDiff);
    }

    @Test
    void aBodyThatIsNotAnImageIsABadRequest() {
        HandlerException e = assertThrows(
                HandlerException.class,
                () -> worker.handle(Request.builder("five".getBytes()).build()));
        assertEquals(400, e.status());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(Response response) {
        return (Map<String, Object>) response.json().orElseThrow();
    }
}
