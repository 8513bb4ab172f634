package dev.serval.handlers.text;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Class names: {@code id2label} of {@code config.json}, else TorchServe's
 * {@code index_to_name.json}, else the class index itself.
 */
final class Labels {

    static final String INDEX_TO_NAME = "index_to_name.json";

    private final Map<String, String> names;

    private Labels(Map<String, String> names) {
        this.names = names;
    }

    /**
     * @param config the model's {@code config.json}
     * @param modelDir the model folder, for {@value #INDEX_TO_NAME}
     * @return the labels
     * @throws IOException when {@value #INDEX_TO_NAME} is needed and is not a JSON object of strings
     */
    static Labels read(HfModelConfig config, Path modelDir) throws IOException {
        Map<String, String> id2label = config.id2label();
        if (!id2label.isEmpty()) {
            return new Labels(id2label);
        }
        Path file = modelDir.resolve(INDEX_TO_NAME);
        if (!Files.isRegularFile(file)) {
            return new Labels(Map.of());
        }
        return new Labels(new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, String>>() {}));
    }

    /**
     * @param index a class index
     * @return its name
     */
    String name(int index) {
        return names.getOrDefault(String.valueOf(index), String.valueOf(index));
    }
}
