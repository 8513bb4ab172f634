package dev.serval.handlers.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Class names from TorchServe's {@code index_to_name.json}; the index itself where it has none. */
final class Labels {

    static final String FILE = "index_to_name.json";

    private final Map<String, Object> names;

    private Labels(Map<String, Object> names) {
        this.names = names;
    }

    /**
     * @param modelDir the model folder
     * @return its labels; the class indices when the archive has no {@value #FILE}
     * @throws IOException when the file exists but is not a JSON object
     */
    static Labels read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new Labels(Map.of());
        }
        return new Labels(new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {}));
    }

    /**
     * @param index a class index
     * @return its name; for torchvision's {@code ["n01440764", "tench"]} pairs, the second
     */
    String name(int index) {
        Object name = names.get(String.valueOf(index));
        if (name instanceof java.util.List<?> pair && !pair.isEmpty()) {
            return String.valueOf(pair.get(pair.size() - 1));
        }
        return name == null ? String.valueOf(index) : name.toString();
    }
}
