package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serval.sdk.Request;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** serval-handlers-image in a plain Felix: its three handlers, each on its reference model. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ImageHandlersIT {

    private static final String BUNDLE = "dev.serval.handlers.image";

    @Inject
    private BundleContext context;

    /** @return the kernel's exports and the bundle */
    @Configuration
    public Option[] configuration() {
        return PlainFelix.kernelHost("serval-handlers-image");
    }

    @Test
    public void resolvesAgainstTheKernelsSdkAndDjl() {
        Bundle bundle = Inside.started(context, BUNDLE);
        for (String pkg : List.of("dev.serval.sdk", "ai.djl.ndarray", "com.fasterxml.jackson.databind")) {
            Inside.assertFromKernel(bundle, pkg);
        }
    }

    @Test
    public void registersItsHandlersByName() throws Exception {
        Bundle bundle = Inside.started(context, BUNDLE);
        Inside.assertHandlers(context, bundle, "image_classifier", "image_segmenter", "object_detector");
    }

    /** A PNG of the digits' reference: PyTorch's top class and softmax(log_probs), within 1e-4. */
    @Test
    public void imageClassifierGivesPyTorchsProbabilities() throws Exception {
        JsonNode testCase = References.firstCase("digits");
        JsonNode answer = References.tree(Workers.infer(
                        context,
                        "image_classifier",
                        References.model("digits"),
                        Request.builder(References.input("digits", testCase)).build())
                .json()
                .orElseThrow());
        double[] expected = References.softmax(testCase.get("log_probs"));
        assertEquals(testCase.get("pred").asText(), answer.fieldNames().next());
        answer.fields()
                .forEachRemaining(entry -> assertEquals(
                        "class " + entry.getKey(),
                        expected[Integer.parseInt(entry.getKey())],
                        entry.getValue().asDouble(),
                        1e-4));
    }

    /** The segmenter's compact answer counts PyTorch's pixels per class, within 1% (or one pixel). */
    @Test
    public void imageSegmenterCountsPyTorchsPixels() throws Exception {
        JsonNode testCase = References.firstCase("shapes_segmenter");
        JsonNode answer = References.tree(Workers.infer(
                        context,
                        "image_segmenter",
                        References.model("shapes_segmenter"),
                        Request.builder(References.input("shapes_segmenter", testCase))
                                .queryParameter("output", List.of("compact"))
                                .build())
                .json()
                .orElseThrow());
        JsonNode counts = answer.get("pixel_counts");
        testCase.get("pixel_counts").fields().forEachRemaining(want -> {
            long expected = want.getValue().asLong();
            assertEquals(want.getKey(), expected, counts.get(want.getKey()).asLong(), Math.max(1, expected * 0.01));
        });
    }

    /** The detector finds PyTorch's detections over 0.5: labels, boxes within half a pixel, scores within 1e-3. */
    @Test
    public void objectDetectorFindsPyTorchsBoxes() throws Exception {
        JsonNode testCase = References.firstCase("shapes_detector");
        JsonNode answer = References.tree(Workers.infer(
                        context,
                        "object_detector",
                        References.model("shapes_detector"),
                        Request.builder(References.input("shapes_detector", testCase))
                                .build())
                .json()
                .orElseThrow());
        List<JsonNode> expected = new ArrayList<>();
        testCase.get("detections_over_0.3").forEach(d -> {
            if (d.get("score").asDouble() >= 0.5) {
                expected.add(d);
            }
        });
        assertTrue(!expected.isEmpty());
        assertEquals(answer.toString(), expected.size(), answer.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode box = answer.get(i).get(want.get("label").asText());
            for (int c = 0; c < 4; c++) {
                assertEquals(
                        "box " + i,
                        want.get("box").get(c).asDouble(),
                        box.get(c).asDouble(),
                        0.5);
            }
            assertEquals(
                    "score " + i,
                    want.get("score").asDouble(),
                    answer.get(i).get("score").asDouble(),
                    1e-3);
        }
    }
}
