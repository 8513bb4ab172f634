package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shapes segmenter (TorchScript and ONNX) and detector, over HTTP against the built
 * distribution, agree with PyTorch's numbers in their reference.json.
 */
class ShapesParityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per class, the pixel count may differ from PyTorch's by 1% (and by one pixel however small the class). */
    private static final double COUNT_TOLERANCE = 0.01;

    private static final double MASK_AGREEMENT = 0.995;
    private static final double BOX_TOLERANCE = 0.5;
    private static final double SCORE_TOLERANCE = 1e-3;

    @TempDir
    static Path root;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.model(
                store.resolve("segmenter.mar"),
                Archives.SHAPES_SEGMENTER,
                "segmenter",
                "1.0",
                "shapes_segmenter.pt",
                "image_segmenter",
                "");
        Archives.model(
                store.resolve("segmenter_onnx.mar"),
                Archives.SHAPES_SEGMENTER,
                "segmenter_onnx",
                "1.0",
                "shapes_segmenter.onnx",
                "image_segmenter",
                "");
        Archives.model(
                store.resolve("detector.mar"),
                Archives.SHAPES_DETECTOR,
                "detector",
                "1.0",
                "shapes_detector.pt",
                "object_detector",
                "");
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /**
     * Per-class pixel counts against every reference count; the argmax mask against the reference
     * mask PNG where PyTorch's prediction equals it ({@code miou_vs_mask} 1.0: the PNGs are the
     * ground truth, not PyTorch's output, and on the other scenes they differ from both).
     */
    @ParameterizedTest
    @ValueSource(strings = {"segmenter", "segmenter_onnx"})
    void segmenterCountsAndMasksMatchPyTorch(String model) throws Exception {
        List<String> failures = new ArrayList<>();
        int masksCompared = 0;
        for (JsonNode testCase : Reference.cases(Archives.SHAPES_SEGMENTER)) {
            String file = testCase.get("file").asText();
            byte[] image = Reference.input(Archives.SHAPES_SEGMENTER, testCase);
            JsonNode compact = JSON.readTree(ok(server.post("/predictions/" + model + "?output=compact", image)));
            int size = testCase.get("size").asInt();
            assertEquals(List.of(size, size), JSON.convertValue(compact.get("shape"), List.class), file);

            JsonNode counts = compact.get("pixel_counts");
            testCase.get("pixel_counts").fields().forEachRemaining(want -> {
                long got = counts.get(want.getKey()).asLong();
                long expected = want.getValue().asLong();
                if (Math.abs(got - expected) > Math.max(1, COUNT_TOLERANCE * expected)) {
                    failures.add(file + " " + want.getKey() + ": " + got + " pixels, reference " + want.getValue());
                }
            });

            int[] mask = flatten(compact.get("mask"));
            byte[] png = ok(server.post("/predictions/" + model, image, "Accept", "image/png"));
            assertArrayEquals(mask, samples(png), file + ": the PNG mask is the JSON mask");
            if (testCase.get("miou_vs_mask").asDouble() == 1.0) {
                int[] truth = samples(Files.readAllBytes(
                        Archives.SHAPES_SEGMENTER.resolve(testCase.get("mask").asText())));
                double agreement = agreement(mask, truth);
                if (agreement < MASK_AGREEMENT) {
                    failures.add(file + ": argmax agrees with PyTorch on " + agreement + " of pixels");
                }
                masksCompared++;
            }
        }
        assertEquals(7, masksCompared);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** TorchServe's default response: {@code [H][W][class, probability]}, the class being the mask's. */
    @Test
    void segmenterDefaultResponseIsTorchServes() throws Exception {
        byte[] image = Files.readAllBytes(Archives.SHAPES_SEGMENTER.resolve("images/scene_00.png"));
        JsonNode full = JSON.readTree(ok(server.post("/predictions/segmenter", image)));
        int[] mask = samples(ok(server.post("/predictions/segmenter", image, "Accept", "image/png")));
        assertEquals(64, full.size());
        for (int y = 0; y < 64; y++) {
            assertEquals(64, full.get(y).size());
            for (int x = 0; x < 64; x++) {
                JsonNode pixel = full.get(y).get(x);
                assertEquals(mask[y * 64 + x], pixel.get(0).asDouble(), "class at " + x + "," + y);
                double probability = pixel.get(1).asDouble();
                assertTrue(
                        probability > 0.25 && probability <= 1, "probability at " + x + "," + y + ": " + probability);
            }
        }
    }

    /** Every scene: the reference's detections over 0.5, same order, labels, boxes and scores. */
    @Test
    void detectorMatchesPyTorch() throws Exception {
        List<String> failures = new ArrayList<>();
        int detections = 0;
        for (JsonNode testCase : Reference.cases(Archives.SHAPES_DETECTOR)) {
            String file = testCase.get("file").asText();
            JsonNode answer = JSON.readTree(
                    ok(server.post("/predictions/detector", Reference.input(Archives.SHAPES_DETECTOR, testCase))));
            List<JsonNode> expected = over(testCase.get("detections_over_0.3"), 0.5);
            compareDetections(file, expected, answer, failures);
            detections += expected.size();
        }
        assertEquals(23, detections);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void detectorThresholdCanBeRaisedPerRequest() throws Exception {
        JsonNode testCase = Reference.cases(Archives.SHAPES_DETECTOR).get(1);
        JsonNode answer = JSON.readTree(ok(server.post(
                "/predictions/detector?threshold=0.9", Reference.input(Archives.SHAPES_DETECTOR, testCase))));
        List<JsonNode> expected = over(testCase.get("detections_over_0.3"), 0.9);
        assertEquals(2, expected.size());
        List<String> failures = new ArrayList<>();
        compareDetections("scene_01 at 0.9", expected, answer, failures);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static void compareDetections(
            String file, List<JsonNode> expected, JsonNode answer, List<String> failures) {
        if (answer.size() != expected.size()) {
            failures.add(file + ": " + answer.size() + " detections, reference " + expected.size() + ": " + answer);
            return;
        }
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = answer.get(i);
            String label = want.get("label").asText();
            JsonNode box = got.get(label);
            if (box == null || got.size() != 2) {
                failures.add(file + " #" + i + ": " + got + ", reference " + want);
                continue;
            }
            for (int c = 0; c < 4; c++) {
                if (Math.abs(box.get(c).asDouble() - want.get("box").get(c).asDouble()) > BOX_TOLERANCE) {
                    failures.add(file + " #" + i + ": box " + box + ", reference " + want.get("box"));
                }
            }
            if (Math.abs(got.get("score").asDouble() - want.get("score").asDouble()) > SCORE_TOLERANCE) {
                failures.add(file + " #" + i + ": score " + got.get("score") + ", reference " + want.get("score"));
            }
        }
    }

    private static List<JsonNode> over(JsonNode detections, double threshold) {
        List<JsonNode> kept = new ArrayList<>();
        detections.forEach(d -> {
            if (d.get("score").asDouble() >= threshold) {
                kept.add(d);
            }
        });
        return kept;
    }

    private static byte[] ok(HttpResponse<byte[]> response) {
        assertEquals(200, response.statusCode(), new String(response.body()));
        return response.body();
    }

    private static int[] flatten(JsonNode rows) {
        int width = rows.get(0).size();
        int[] flat = new int[rows.size() * width];
        for (int y = 0; y < rows.size(); y++) {
            for (int x = 0; x < width; x++) {
                flat[y * width + x] = rows.get(y).get(x).asInt();
            }
        }
        return flat;
    }

    private static int[] samples(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
    }

    private static double agreement(int[] mask, int[] truth) {
        int same = 0;
        for (int i = 0; i < mask.length; i++) {
            same += mask[i] == truth[i] ? 1 : 0;
        }
        return (double) same / mask.length;
    }
}
