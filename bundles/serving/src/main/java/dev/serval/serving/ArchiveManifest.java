package dev.serval.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A TorchServe archive's {@code MAR-INF/MANIFEST.json}, read when a model is loaded and written by
 * {@code serval archive}. It is written as torch-model-archiver writes it: the same fields in the
 * same order, formatted as Python's {@code json.dumps(manifest, indent=2)} formats them (two-space
 * indent, {@code ": "} between key and value, everything outside printable ASCII escaped), so an
 * archive made by Serval is byte for byte what TorchServe's tool would make from the same files.
 *
 * @param modelName {@code model.modelName}
 * @param modelVersion {@code model.modelVersion}; {@code "1.0"} when the file has none
 * @param serializedFile {@code model.serializedFile}: a file name at the archive's root
 * @param handler {@code model.handler}
 * @param configFile {@code model.configFile}, only when the archive has a model config
 * @param runtime the top-level {@code runtime}; {@code "python"} is written when empty
 * @param modelFile {@code model.modelFile}: the Python file of an eager model's class, which
 *     torch-model-archiver's {@code --model-file} adds
 */
public record ArchiveManifest(
        String modelName,
        String modelVersion,
        String serializedFile,
        String handler,
        Optional<String> configFile,
        Optional<String> runtime,
        Optional<String> modelFile)
        implements Manifest {

    /** The path of the manifest inside an archive. */
    public static final String PATH = "MAR-INF/MANIFEST.json";

    /** torch-model-archiver's runtime for every handler that is not C++; Serval ignores it. */
    private static final String PYTHON = "python";

    private static final DateTimeFormatter CREATED_ON = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss");

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

    /**
     * @param archiverVersion the {@code archiverVersion} field: the version of the tool that made it
     * @param createdOn when the archive was made, written {@code dd/MM/yyyy HH:mm:ss} as Python's
     *     {@code datetime.now().strftime("%d/%m/%Y %H:%M:%S")}
     * @return the manifest as UTF-8 JSON, without a final newline, as Python writes it
     */
    public byte[] toJson(String archiverVersion, LocalDateTime createdOn) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("modelName", modelName);
        model.put("serializedFile", serializedFile);
        model.put("handler", handler);
        modelFile.ifPresent(file -> model.put("modelFile", file));
        model.put("modelVersion", modelVersion);
        configFile.ifPresent(file -> model.put("configFile", file));

        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"createdOn\": ")
                .append(string(createdOn.format(CREATED_ON)))
                .append(",\n");
        json.append("  \"runtime\": ").append(string(runtime.orElse(PYTHON))).append(",\n");
        json.append("  \"model\": {\n");
        int i = 0;
        for (Map.Entry<String, String> field : model.entrySet()) {
            json.append("    ")
                    .append(string(field.getKey()))
                    .append(": ")
                    .append(string(field.getValue()))
                    .append(++i < model.size() ? ",\n" : "\n");
        }
        json.append("  },\n");
        json.append("  \"archiverVersion\": ").append(string(archiverVersion)).append("\n}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string as Python's {@code json} module writes it with {@code ensure_ascii}. */
    private static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < ' ' || c > '~') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
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
