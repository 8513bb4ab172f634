package dev.serval.examples.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.handlers.image.ImageClassifier;
import dev.serval.sdk.Context;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.EmbeddedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded digits model agrees with PyTorch on the 40 reference digits, as the server does
 * over HTTP (the distribution's {@code DigitsParityIT}, same tolerances): one at a time from a
 * {@code .mar}, and all at once in batches; and a text handler, by name, agrees on a review.
 */
class EmbeddedModelsTest {

    private static final Path DIGITS = Path.of(System.getProperty("serval.models", "../../distribution/models"))
            .resolve("digits");
    /** The PNGs are 28×28 already; the JPEGs are 84×84 and go through the antialiased resize. */
    private static final double PNG_TOLERANCE = 1e-4;

    private static final double JPEG_TOLERANCE = 0.02;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<JsonNode> cases;

    @BeforeAll
    static void readReference() throws IOException {
        cases = new ArrayList<>();
        JSON.readTree(DIGITS.resolve("reference.json").toFile()).get("cases").forEach(cases::add);
        assertEquals(40, cases.size());
    }

    @Test
    void aMarMatchesPyTorchAndItsExtractedFolderGoesOnClose(@TempDir Path dir) throws Exception {
        Path mar = mar(
                dir.resolve("digits.mar"),
                "MAR-INF/MANIFEST.json",
                "convnet_digits.pt",
                "index_to_name.json",
                "model-config.yaml");
        Path extracted;
        List<String> failures = new ArrayList<>();
        try (EmbeddedModel model = EmbeddedModel.load(mar, ImageClassifier::new)) {
            extracted = model.modelDir();
            assertNotEquals(mar, extracted);
            assertTrue(Files.isRegularFile(extracted.resolve("convnet_digits.pt")));
            assertEquals("PyTorch", model.engine());
            for (JsonNode testCase : cases) {
                check(testCase, model.predict(request(testCase)), failures);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertFalse(Files.exists(extracted), "close() removes " + extracted);
    }

    @Test
    void concurrentRequestsAreBatchedWithTheSameNumbers() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = new ArrayList<>();
        try (EmbeddedModel model = EmbeddedModel.builder(DIGITS)
                .handler(() -> new ImageClassifier() {
                    @Override
                    public List<Response> handle(List<Request> batch, Context context) throws Exception {
                        batches.add(batch.size());
                        return super.handle(batch, context);
                    }
                })
                .workers(1)
                .batchSize(8)
                .maxBatchDelay(Duration.ofMillis(200))
                .load()) {
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (JsonNode testCase : cases) {
                answers.add(model.submit(request(testCase)));
            }
            for (int i = 0; i < cases.size(); i++) {
                check(cases.get(i), answers.get(i).join(), failures);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(cases.size(), batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.stream().allMatch(size -> size <= 8), "batches " + batches);
        assertTrue(batches.stream().anyMatch(size -> size > 1), "batches " + batches);
    }

    @Test
    void theHandlerTheManifestNamesIsFoundOnTheClassPath() throws Exception {
        List<String> failures = new ArrayList<>();
        try (EmbeddedModel model = EmbeddedModel.load(DIGITS)) {
            assertEquals(DIGITS, model.modelDir());
            check(cases.get(0), model.predict(request(cases.get(0))), failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(Files.isRegularFile(DIGITS.resolve("convnet_digits.pt")), "a folder is used in place, and kept");
    }

    @Test
    void anotherBuiltInHandlerIsChosenByName() throws Exception {
        // The manifest names text_classifier, which hands tokenizer.json archives to this one through OSGi.
        Path reviews = DIGITS.resolveSibling("reviews_distilbert");
        JsonNode reference = JSON.readTree(reviews.resolve("reference.json").toFile())
                .get("cases")
                .get(0);
        JsonNode labels = JSON.readTree(reviews.resolve("config.json").toFile()).get("id2label");
        JsonNode logits = reference.get("logits");
        try (EmbeddedModel model =
                EmbeddedModel.builder(reviews).handler("hf_sequence_classifier").load()) {
            Map<?, ?> answer = (Map<?, ?>)
                    model.predict(Request.builder(reference.get("text").asText().getBytes(StandardCharsets.UTF_8))
                                    .contentType("text/plain")
                                    .build())
                            .json()
                            .orElseThrow();
            assertEquals(logits.size(), answer.size());
            // Softmax's probabilities: they add up to 1, and their log ratios are the logits' differences.
            double first = Math.log(probability(answer, labels, 0));
            double sum = 0;
            for (int i = 0; i < logits.size(); i++) {
                double p = probability(answer, labels, i);
                sum += p;
                assertEquals(
                        logits.get(i).asDouble() - logits.get(0).asDouble(), Math.log(p) - first, 1e-3, "label " + i);
            }
            assertEquals(1, sum, 1e-4);
        }
    }

    private static double probability(Map<?, ?> answer, JsonNode labels, int index) {
        return ((Number) answer.get(labels.get(String.valueOf(index)).asText())).doubleValue();
    }

    private static Request request(JsonNode testCase) throws IOException {
        return Request.builder(
                        Files.readAllBytes(DIGITS.resolve(testCase.get("file").asText())))
                .build();
    }

    /** The reference's top class first, and each of the 5 answered equal to exp(log_softmax). */
    private static void check(JsonNode testCase, Response response, List<String> failures) {
        String file = testCase.get("file").asText();
        Map<?, ?> answer = (Map<?, ?>) response.json().orElseThrow();
        JsonNode logProbs = testCase.get("log_probs");
        double tolerance = file.endsWith(".png") ? PNG_TOLERANCE : JPEG_TOLERANCE;
        String top = answer.keySet().iterator().next().toString();
        if (!String.valueOf(testCase.get("pred").asInt()).equals(top)) {
            failures.add(file + ": top class " + top + ", reference " + testCase.get("pred"));
        }
        if (answer.size() != 5) {
            failures.add(file + ": " + answer.size() + " classes, not the top 5");
        }
        answer.forEach((label, probability) -> {
            double want =
                    Math.exp(logProbs.get(Integer.parseInt(label.toString())).asDouble());
            if (Math.abs(want - ((Number) probability).doubleValue()) > tolerance) {
                failures.add(file + ": class " + label + " " + probability + ", reference " + want);
            }
        });
    }

    /** Packs files of the digits folder into a {@code .mar}, as torch-model-archiver would. */
    private static Path mar(Path mar, String... files) throws IOException {
        try (OutputStream file = Files.newOutputStream(mar);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (String name : files) {
                out.putNextEntry(new ZipEntry(name));
                Files.copy(DIGITS.resolve(name), out);
                out.closeEntry();
            }
        }
        return mar;
    }
}
