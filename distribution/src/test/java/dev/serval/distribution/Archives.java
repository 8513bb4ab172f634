package dev.serval.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes TorchServe model archives for the tests, from the reference models. */
final class Archives {

    static final Path DIGITS = ServerProcess.MODELS.resolve("digits");
    static final Path SHAPES_SEGMENTER = ServerProcess.MODELS.resolve("shapes_segmenter");
    static final Path SHAPES_DETECTOR = ServerProcess.MODELS.resolve("shapes_detector");

    private Archives() {
    }

    /**
     * @param target the {@code .mar} to write
     * @param name model name
     * @param version model version
     * @param serializedFile the digits model file to include ({@code .pt} or {@code .onnx})
     * @param handler the handler name in the manifest
     */
    static Path digits(Path target, String name, String version, String serializedFile, String handler)
            throws IOException {
        return model(target, DIGITS, name, version, serializedFile, handler);
    }

    /**
     * @param target the {@code .mar} to write
     * @param modelDir a reference model's folder
     * @param name model name
     * @param version model version
     * @param serializedFile the model file of that folder to include
     * @param handler the handler name in the manifest
     */
    static Path model(Path target, Path modelDir, String name, String version, String serializedFile, String handler)
            throws IOException {
        String manifest = """
                {"createdOn": "23/11/2026 10:00:00", "runtime": "python", "archiverVersion": "0.12.0",
                 "model": {"modelName": "%s", "serializedFile": "%s", "handler": "%s", "modelVersion": "%s"}}
                """.formatted(name, serializedFile, handler, version);
        return zip(target, Map.of(
                "MAR-INF/MANIFEST.json", manifest.getBytes(),
                serializedFile, Files.readAllBytes(modelDir.resolve(serializedFile)),
                "index_to_name.json", Files.readAllBytes(modelDir.resolve("index_to_name.json")),
                "model-config.yaml", Files.readAllBytes(modelDir.resolve("model-config.yaml"))));
    }

    static Path zip(Path target, Map<String, byte[]> entries) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        // Appear whole: a watcher must never see half an archive.
        return Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
