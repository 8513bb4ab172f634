package dev.serval.kernel.archive;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code MAR-INF/MANIFEST.json} as torch-model-archiver writes it: the same fields in the same
 * order, formatted as Python's {@code json.dumps(manifest, indent=2)} formats them (two-space
 * indent, {@code ": "} between key and value, everything outside printable ASCII escaped), so an
 * archive made here is byte for byte what TorchServe's tool would make from the same files.
 *
 * @param modelName {@code model.modelName}
 * @param serializedFile {@code model.serializedFile}: a file name at the archive's root
 * @param handler {@code model.handler}
 * @param modelVersion {@code model.modelVersion}
 * @param configFile {@code model.configFile}, only when the archive has a model config
 * @param createdOn when the archive was made, written {@code dd/MM/yyyy HH:mm:ss} as Python's
 *     {@code datetime.now().strftime("%d/%m/%Y %H:%M:%S")}
 */
public record MarManifest(
        String modelName,
        String serializedFile,
        String handler,
        String modelVersion,
        Optional<String> configFile,
        LocalDateTime createdOn) {

    /** The path of the manifest inside an archive. */
    public static final String PATH = "MAR-INF/MANIFEST.json";
    /** torch-model-archiver's runtime for every handler that is not C++; Serval ignores it. */
    static final String RUNTIME = "python";

    private static final DateTimeFormatter CREATED_ON = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss");

    /**
     * @param archiverVersion the {@code archiverVersion} field: the version of the tool that made it
     * @return the manifest as UTF-8 JSON, without a final newline, as Python writes it
     */
    public byte[] toJson(String archiverVersion) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("modelName", modelName);
        model.put("serializedFile", serializedFile);
        model.put("handler", handler);
        model.put("modelVersion", modelVersion);
        configFile.ifPresent(file -> model.put("configFile", file));

        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"createdOn\": ")
                .append(string(createdOn.format(CREATED_ON)))
                .append(",\n");
        json.append("  \"runtime\": ").append(string(RUNTIME)).append(",\n");
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
}
