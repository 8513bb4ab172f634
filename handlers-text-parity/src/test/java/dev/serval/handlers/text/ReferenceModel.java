package dev.serval.handlers.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * The fine-tuned DistilBERT of {@code distribution/models/reviews_distilbert} and what PyTorch and
 * Hugging Face's tokenizers computed for its 25 reference texts ({@code reference.json}).
 */
public final class ReferenceModel {

    /** The model folder, as {@code save_pretrained} and the TorchScript/ONNX export left it. */
    public static final Path DIR = Path.of(System.getProperty("serval.models", "../distribution/models"))
            .resolve("reviews_distilbert");

    /** One reference text and PyTorch's results for it. */
    public record Case(String text, long[] inputIds, float[] logits, String prediction) {}

    private ReferenceModel() {}

    /** @return the 25 cases, in the file's order */
    public static List<Case> cases() {
        try {
            JsonNode root =
                    new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode node : root.get("cases")) {
                cases.add(new Case(
                        node.get("text").asText(),
                        StreamSupport.stream(node.get("input_ids").spliterator(), false)
                                .mapToLong(JsonNode::asLong)
                                .toArray(),
                        floats(node.get("logits")),
                        node.get("pred").asText()));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
