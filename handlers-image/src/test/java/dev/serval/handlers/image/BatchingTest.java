package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch goes through the model as one forward pass per input shape, and answers what the same
 * requests answer one by one: the same classes in the same order, and the same probabilities up to
 * float rounding (PyTorch's kernels block a batch of 8 differently from a batch of 1, which moves
 * the last bits).
 */
class BatchingTest {

    private static final double ROUNDING = 1e-7;

    /** Four 28×28 PNGs and four 84×84 JPEGs: all 28×28 after preprocessing, so one forward pass. */
    private static final List<String> DIGITS = List.of(
            "digit_00_label5.png",
            "digit_03_label5.jpg",
            "digit_01_label7.png",
            "digit_07_label8.jpg",
            "digit_02_label4.png",
            "digit_11_label9.jpg",
            "digit_04_label9.png",
            "digit_15_label5.jpg");

    @ParameterizedTest
    @ValueSource(strings = {"convnet_digits.pt", "convnet_digits.onnx"})
    void aBatchOfEightDigitsAnswersWhatEightSingleCallsAnswer(String file) throws Exception {
        try (TestModel model = TestModel.load(ReferenceModels.DIR.resolve("digits"), file);
                TestWorker<ImageClassifier> digits = model.start(new ImageClassifier())) {
            List<Request> batch = new ArrayList<>();
            for (String image : DIGITS) {
                batch.add(Request.builder(Files.readAllBytes(ReferenceModels.DIR.resolve("digits/images/" + image)))
                        .build());
            }
            List<Response> batched = digits.handle(batch);
            assertEquals(8, batched.size());
            for (int i = 0; i < batch.size(); i++) {
                Map<?, ?> single = (Map<?, ?>)
                        digits.handle(List.of(batch.get(i))).get(0).json().orElseThrow();
                Map<?, ?> inBatch = (Map<?, ?>) batched.get(i).json().orElseThrow();
                assertEquals(List.copyOf(single.keySet()), List.copyOf(inBatch.keySet()), DIGITS.get(i));
                for (Object label : single.keySet()) {
                    double difference = Math.abs((Float) single.get(label) - (Float) inBatch.get(label));
                    assertTrue(difference <= ROUNDING, DIGITS.get(i) + " class " + label + ": " + difference);
                }
            }
        }
    }

    /** 64×64 and 128×128 scenes interleaved: two forward passes, answers back in request order. */
    @ParameterizedTest
    @ValueSource(strings = {"shapes_segmenter.pt", "shapes_segmenter.onnx"})
    void aBatchOfMixedSizesAnswersWhatSingleCallsAnswer(String file) throws Exception {
        try (TestModel model = TestModel.load(ReferenceModels.DIR.resolve("shapes_segmenter"), file);
                TestWorker<ImageSegmenter> segmenter = model.start(new ImageSegmenter())) {
            List<Request> batch = new ArrayList<>();
            for (String scene : List.of("scene_00", "scene_08", "scene_01", "scene_09")) {
                batch.add(Request.builder(Files.readAllBytes(
                                ReferenceModels.DIR.resolve("shapes_segmenter/images/" + scene + ".png")))
                        .header("Accept", List.of("image/png"))
                        .build());
            }
            List<Response> batched = segmenter.handle(batch);
            for (int i = 0; i < batch.size(); i++) {
                Response single = segmenter.handle(List.of(batch.get(i))).get(0);
                assertArrayEquals(
                        single.bytes().orElseThrow(), batched.get(i).bytes().orElseThrow(), "request " + i);
            }
        }
    }
}
