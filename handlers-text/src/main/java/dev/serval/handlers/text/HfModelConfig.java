package dev.serval.handlers.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a text handler needs from the {@code config.json} that 🤗 Transformers saves with a model:
 * its labels ({@code id2label}) and how many positions it has ({@code max_position_embeddings}).
 */
final class HfModelConfig {

    static final String FILE = "config.json";

    private final JsonNode root;

    private HfModelConfig(JsonNode root) {
        this.root = root;
    }

    /**
     * @param modelDir the model folder
     * @return its config; an empty one when the archive has no {@value #FILE}
     * @throws IOException when the file exists but is not JSON
     */
    static HfModelConfig read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        JsonNode root = Files.isRegularFile(file) ? new ObjectMapper().readTree(file.toFile()) : null;
        return new HfModelConfig(root == null ? new ObjectMapper().createObjectNode() : root);
    }

    /** @return class index to label; empty when the config has no {@code id2label} */
    Map<String, String> id2label() {
        Map<String, String> labels = new HashMap<>();
        root.path("id2label")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** @return the longest sequence the model's position embeddings cover */
    OptionalInt maxPositionEmbeddings() {
        JsonNode value = root.path("max_position_embeddings");
        return value.canConvertToInt() ? OptionalInt.of(value.asInt()) : OptionalInt.empty();
    }
}
