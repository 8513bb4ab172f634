package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serval.sdk.Request;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/**
 * serval-handlers-text alone in a plain Felix: {@code text_classifier} on WordPiece, its
 * Hugging Face delegate absent, on the reviews model without its {@code tokenizer.json}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TextHandlerIT {

    /** The reviews model's files that WordPiece reads: no {@code tokenizer.json}. */
    private static final List<String> WORDPIECE_FILES = List.of(
            "MAR-INF/MANIFEST.json",
            "reviews_distilbert.pt",
            "config.json",
            "vocab.txt",
            "tokenizer_config.json",
            "index_to_name.json");

    private static final List<String> LABELS = List.of("negative", "neutral", "positive");

    @Inject
    private BundleContext context;

    /** @return the kernel's exports and the bundle */
    @Configuration
    public Option[] configuration() {
        return PlainFelix.kernelHost("serval-handlers-text");
    }

    @Test
    public void registersTextClassifierWithoutTheHuggingFaceBundle() throws Exception {
        Bundle bundle = Inside.started(context, "dev.serval.handlers.text");
        Inside.assertFromKernel(bundle, "ai.djl.modality.nlp.bert");
        Inside.assertHandlers(context, bundle, "text_classifier");
    }

    /** PyTorch's label and softmax(logits) within 1e-4, as the end-to-end tests hold WordPiece to. */
    @Test
    public void textClassifierGivesPyTorchsProbabilities() throws Exception {
        Path model = Files.createTempDirectory("wordpiece-");
        for (String file : WORDPIECE_FILES) {
            Path target = Files.createDirectories(model.resolve(file).getParent())
                    .resolve(Path.of(file).getFileName());
            Files.copy(
                    References.model("reviews_distilbert").resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
        }
        JsonNode testCase = References.firstCase("reviews_distilbert");
        JsonNode answer = References.tree(Workers.infer(
                        context,
                        "text_classifier",
                        model,
                        Request.builder(testCase.get("text").asText().getBytes(StandardCharsets.UTF_8))
                                .build())
                .json()
                .orElseThrow());
        assertProbabilities(testCase, answer);
    }

    /** Asserts PyTorch's label and softmax(logits), within 1e-4. */
    static void assertProbabilities(JsonNode testCase, JsonNode answer) {
        assertEquals(
                answer.toString(),
                testCase.get("pred").asText(),
                answer.fieldNames().next());
        double[] expected = References.softmax(testCase.get("logits"));
        for (int label = 0; label < LABELS.size(); label++) {
            assertEquals(
                    LABELS.get(label),
                    expected[label],
                    answer.get(LABELS.get(label)).asDouble(),
                    1e-4);
        }
    }
}
