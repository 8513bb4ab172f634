package dev.serval.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes TorchServe model archives for the tests, from the reference models. */
final class Archives {

    static final Path DIGITS = ServerProcess.MODELS.resolve("digits");
    static final Path REVIEWS = ServerProcess.MODELS.resolve("reviews_distilbert");
    static final Path SHAPES_SEGMENTER = ServerProcess.MODELS.resolve("shapes_segmenter");
    static final Path SHAPES_DETECTOR = ServerProcess.MODELS.resolve("shapes_detector");

    private Archives() {}

    /**
     * Packs a digits model file with {@code bin/serval archive}, as a user would.
     *
     * @param exportPath where the archive goes
     * @param name model name
     * @param version model version
     * @param serializedFile the digits model file ({@code convnet_digits.pt} or {@code .onnx})
     * @param handler the handler name in the manifest
     * @param options more of the command's options, e.g. {@code --format folder}
     */
    static void archive(
            Path exportPath, String name, String version, String serializedFile, String handler, String... options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "archive",
                "--model-name",
                name,
                "--version",
                version,
                "--serialized-file",
                DIGITS.resolve(serializedFile).toString(),
                "--handler",
                handler));
        command.addAll(List.of(options));
        command.addAll(List.of("--export-path", exportPath.toString()));
        ServerProcess.run(command.toArray(String[]::new));
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
        return digits(target, name, version, serializedFile, handler, "");
    }

    /**
     * @param servingSettings top-level {@code model-config.yaml} lines added to the reference
     *     model's, such as {@code batchSize: 8}
     * @see #digits(Path, String, String, String, String)
     */
    static Path digits(
            Path target, String name, String version, String serializedFile, String handler, String servingSettings)
            throws IOException {
        return model(target, DIGITS, name, version, serializedFile, handler, servingSettings);
    }

    /**
     * @param target the {@code .mar} to write
     * @param modelDir a reference model's folder
     * @param name model name
     * @param version model version
     * @param serializedFile the model file of that folder to include
     * @param handler the handler name in the manifest
     * @param servingSettings top-level {@code model-config.yaml} lines added to the folder's
     */
    static Path model(
            Path target,
            Path modelDir,
            String name,
            String version,
            String serializedFile,
            String handler,
            String servingSettings)
            throws IOException {
        return zip(
                target,
                Map.of(
                        "MAR-INF/MANIFEST.json",
                        manifest(name, version, serializedFile, handler),
                        serializedFile,
                        Files.readAllBytes(modelDir.resolve(serializedFile)),
                        "index_to_name.json",
                        Files.readAllBytes(modelDir.resolve("index_to_name.json")),
                        "model-config.yaml",
                        (servingSettings + "\n" + Files.readString(modelDir.resolve("model-config.yaml"))).getBytes()));
    }

    /**
     * The digits model archived as TorchServe's model zoo archives are: no serving settings, so a
     * register call's parameters and the server's defaults decide its workers.
     *
     * @param target the {@code .mar} to write
     * @param name model name, version 1.0
     */
    static Path withoutServingSettings(Path target, String name) throws IOException {
        String handlerOnly = Files.readString(DIGITS.resolve("model-config.yaml"))
                .lines()
                .filter(line -> !line.startsWith("minWorkers"))
                .collect(java.util.stream.Collectors.joining("\n"));
        return zip(
                target,
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest(name, "1.0", "convnet_digits.pt", "image_classifier"),
                        "convnet_digits.pt", Files.readAllBytes(DIGITS.resolve("convnet_digits.pt")),
                        "index_to_name.json", Files.readAllBytes(DIGITS.resolve("index_to_name.json")),
                        "model-config.yaml", handlerOnly.getBytes()));
    }

    /**
     * @param target the {@code .mar} to write
     * @param name model name
     * @param serializedFile the DistilBERT file to include ({@code .pt} or {@code .onnx})
     * @param handler the handler name in the manifest
     * @param files the Hugging Face files to include besides, e.g. {@code tokenizer.json}
     */
    static Path reviews(Path target, String name, String serializedFile, String handler, List<String> files)
            throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        entries.put("MAR-INF/MANIFEST.json", manifest(name, "1.0", serializedFile, handler));
        entries.put(serializedFile, Files.readAllBytes(REVIEWS.resolve(serializedFile)));
        for (String file : files) {
            entries.put(file, Files.readAllBytes(REVIEWS.resolve(file)));
        }
        return zip(target, entries);
    }

    // TorchServe archives only Python serves (issue 19, "Archives a TorchServe user already has").

    /**
     * @param target the {@code .mar} to write, as torch-model-archiver writes TorchServe's MNIST
     *     example: {@code --handler mnist_handler.py}, the digits TorchScript model as the serialized file
     * @param name model name
     */
    static Path pythonHandler(Path target, String name) throws IOException {
        return zip(
                target,
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest(name, "1.0", "convnet_digits.pt", "mnist_handler.py"),
                        "convnet_digits.pt", Files.readAllBytes(DIGITS.resolve("convnet_digits.pt")),
                        "mnist_handler.py",
                                "from ts.torch_handler.image_classifier import ImageClassifier\n".getBytes()));
    }

    /**
     * @param target the {@code .mar} to write, an eager model as {@code --model-file mnist.py
     *     --serialized-file mnist_cnn.pth} writes it, with a default handler
     * @param name model name
     */
    static Path eagerModel(Path target, String name) throws IOException {
        return zip(
                target,
                Map.of(
                        "MAR-INF/MANIFEST.json",
                                new String(manifest(name, "1.0", "mnist_cnn.pth", "image_classifier"))
                                        .replace("\"handler\"", "\"modelFile\": \"mnist.py\", \"handler\"")
                                        .getBytes(),
                        "mnist_cnn.pth", Files.readAllBytes(DIGITS.resolve("convnet_digits.pt")),
                        "mnist.py", "class Net(nn.Module):\n    pass\n".getBytes()));
    }

    /**
     * @param target the {@code .mar} to write: the example bundle's {@code text_stream} handler
     *     (which ignores its model), one worker
     * @param name model name, version 1.0
     * @param pauseMs the handler's pause before each word after the first
     */
    static Path textStream(Path target, String name, long pauseMs) throws IOException {
        return zip(
                target,
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest(name, "1.0", "convnet_digits.onnx", "text_stream"),
                        "convnet_digits.onnx", Files.readAllBytes(DIGITS.resolve("convnet_digits.onnx")),
                        "model-config.yaml",
                                ("minWorkers: 1\nmaxWorkers: 1\nhandler:\n  pause_ms: " + pauseMs + "\n").getBytes()));
    }

    private static byte[] manifest(String name, String version, String serializedFile, String handler) {
        return """
                {"createdOn": "23/11/2026 10:00:00", "runtime": "python", "archiverVersion": "0.12.0",
                 "model": {"modelName": "%s", "serializedFile": "%s", "handler": "%s", "modelVersion": "%s"}}
                """.formatted(name, serializedFile, handler, version).getBytes();
    }

    static Path zip(Path target, Map<String, byte[]> entries) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        // Appear whole: a watcher must never see half an archive.
        return Files.move(
                temp,
                target,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
