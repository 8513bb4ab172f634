package dev.serval.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a model store folder serving one workload: the reference model's files, its manifest
 * naming the workload's serialized file, and its {@code model-config.yaml} with the serving
 * settings under test (workers, batching) on top of the handler's own section.
 */
final class BenchStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Reference material that is not part of an archive. */
    private static final Set<String> LEFT_OUT = Set.of("images", "inputs", "reference.json");

    private BenchStore() {}

    /**
     * @param store the model store folder to write into
     * @param workload the model
     * @param settings TorchServe's {@code minWorkers}, {@code batchSize}, {@code maxBatchDelay}...
     * @return the model folder written
     * @throws IOException when the files cannot be copied
     */
    static Path write(Path store, Workload workload, Map<String, Object> settings) throws IOException {
        Path dir = Files.createDirectories(store.resolve(workload.name()));
        try (Stream<Path> files = Files.list(workload.folder())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean otherModelFile =
                        (name.endsWith(".pt") || name.endsWith(".onnx")) && !name.equals(workload.serializedFile());
                if (Files.isRegularFile(file) && !LEFT_OUT.contains(name) && !otherModelFile) {
                    Files.copy(file, dir.resolve(name));
                }
            }
        }
        Path manifestPath = Files.createDirectories(dir.resolve("MAR-INF")).resolve("MANIFEST.json");
        ObjectNode manifest = (ObjectNode)
                JSON.readTree(workload.folder().resolve("MAR-INF/MANIFEST.json").toFile());
        ((ObjectNode) manifest.path("model"))
                .put("modelName", workload.name())
                .put("serializedFile", workload.serializedFile());
        JSON.writeValue(manifestPath.toFile(), manifest);

        Path configPath = workload.folder().resolve("model-config.yaml");
        Map<String, Object> config = new LinkedHashMap<>();
        if (Files.exists(configPath)) {
            config.putAll(YAML.readValue(configPath.toFile(), new TypeReference<Map<String, Object>>() {}));
        }
        config.putAll(settings);
        YAML.writeValue(dir.resolve("model-config.yaml").toFile(), config);
        return dir;
    }
}
