package dev.serval.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A parsed {@code MAR-INF/MANIFEST.json}.
 *
 * @param modelFile {@code model.modelFile}: the Python file of an eager model's class, which
 *     torch-model-archiver's {@code --model-file} adds
 */
record ArchiveManifest(
        String modelName,
        String modelVersion,
        String serializedFile,
        String handler,
        Optional<String> configFile,
        Optional<String> runtime,
        Optional<String> modelFile)
        implements Manifest {

    static final String PATH = "MAR-INF/MANIFEST.json";

    static ArchiveManifest read(Path modelDir, ObjectMapper json) throws ModelLoadException {
        Path file = modelDir.resolve(PATH);
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Missing " + PATH);
        }
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("Malformed " + PATH + ": " + e.getMessage(), e);
        }
        JsonNode model = root.path("model");
        String name = text(model, "modelName");
        String serialized = text(model, "serializedFile");
        String handler = text(model, "handler");
        if (name == null || serialized == null || handler == null) {
            throw new ModelLoadException(PATH + " must give model.modelName, model.serializedFile and model.handler");
        }
        if (!ModelNames.isValid(name)) {
            throw new ModelLoadException(PATH + ": model.modelName is not a valid model name: " + ModelNames.RULE);
        }
        String version = Optional.ofNullable(text(model, "modelVersion")).orElse("1.0");
        return new ArchiveManifest(
                name,
                version,
                serialized,
                handler,
                Optional.ofNullable(text(model, "configFile")),
                Optional.ofNullable(text(root, "runtime")),
                Optional.ofNullable(text(model, "modelFile")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    ArchiveManifest withName(String name) {
        return new ArchiveManifest(name, modelVersion, serializedFile, handler, configFile, runtime, modelFile);
    }

    ArchiveManifest withHandler(String name) {
        return new ArchiveManifest(modelName, modelVersion, serializedFile, name, configFile, runtime, modelFile);
    }

    ArchiveManifest withSerializedFile(String file) {
        return new ArchiveManifest(modelName, modelVersion, file, handler, configFile, runtime, modelFile);
    }
}
