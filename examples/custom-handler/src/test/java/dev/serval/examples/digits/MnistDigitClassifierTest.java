package dev.serval.examples.digits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TorchServe's MNIST handler, ported, on the digits model: PyTorch's digit for every reference image. */
class MnistDigitClassifierTest {

    private static final Path MODEL = Path.of("../../distribution/models/digits");

    private static TestModel model;
    private static TestWorker<MnistDigitClassifier> worker;
    private static JsonNode cases;

    @BeforeAll
    static void start() throws Exception {
        model = TestModel.load(MODEL);
        worker = model.start(new MnistDigitClassifier());
        cases = new ObjectMapper()
                .readTree(MODEL.resolve("reference.json").toFile())
                .get("cases");
    }

    @AfterAll
    static void stop() {
        worker.close();
        model.close();
    }

    @Test
    void answersPyTorchsDigitAsABareNumberAsTorchServeDoes() throws Exception {
        for (JsonNode c : cases) {
            Response response = worker.handle(Request.builder(image(c)).build());
            assertEquals(
                    c.get("pred").asLong(),
                    response.json().orElseThrow(),
                    c.get("file").asText());
        }
    }

    @Test
    void aBatchIsAnsweredInOrder() throws Exception {
        List<Request> batch = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (JsonNode c : cases) {
            batch.add(Request.builder(image(c)).build());
            expected.add(c.get("pred").asLong());
        }

        List<Object> answers =
                worker.handle(batch).stream().map(r -> r.json().orElseThrow()).toList();

        assertEquals(expected, answers);
    }

    @Test
    void aBodyThatIsNotAnImageIsABadRequest() {
        HandlerException e = assertThrows(
                HandlerException.class,
                () -> worker.handle(Request.builder("five".getBytes()).build()));
        assertEquals(400, e.status());
    }

    private static byte[] image(JsonNode c) throws Exception {
        return Files.readAllBytes(MODEL.resolve(c.get("file").asText()));
    }
}
