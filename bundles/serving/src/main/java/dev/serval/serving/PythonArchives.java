package dev.serval.serving;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses the TorchServe archives that only Python can serve, at load, with how to port them:
 * a handler that is a Python file, and an eager model (a pickled state dict with the Python file
 * of its class). Without this they would load and wait, with a 503, for a Java handler of the
 * Python file's name that never comes, or fail in the engine with a message about zip entries.
 * Only what is certainly Python is refused: any other handler name may be a Java handler that a
 * bundle provides later.
 */
final class PythonArchives {

    /** Where the message sends the user, relative to Serval's repository and distribution. */
    static final String GUIDE = "docs/porting-from-torchserve.md";

    /**
     * TorchServe's default handlers, which Serval's built-in Java handlers stand in for whatever
     * Python file of the same name an archive holds.
     */
    private static final Set<String> TORCHSERVE_DEFAULTS =
            Set.of("image_classifier", "image_segmenter", "object_detector", "text_classifier");

    /** What Serval runs instead, said in every refusal. The built-in names are those of handlers-image, -text and -hf. */
    private static final String SERVAL_RUNS = "Serval serves TorchScript (.pt) and ONNX (.onnx) models with a Java"
            + " handler: a built-in one (image_classifier, image_segmenter, object_detector, text_classifier,"
            + " hf_sequence_classifier) or your own";

    private PythonArchives() {}

    /**
     * @param archive an opened archive, with the handler it will be served with
     * @return the archive as Serval serves it: a handler that names the Python file of one of
     *     TorchServe's default handlers in TorchServe's own tree
     *     ({@code serve/ts/torch_handler/image_classifier.py:handle}) names the built-in Java
     *     handler standing in for it
     * @throws ModelLoadException when its handler is other Python code or its model eager PyTorch
     */
    static ModelArchive servable(ModelArchive archive) throws ModelLoadException {
        Optional<String> builtIn = torchServeDefault(archive.manifest().handler());
        ModelArchive served = builtIn.map(archive::withHandler).orElse(archive);
        check(served);
        return served;
    }

    /** @return the default handler a path in TorchServe's {@code ts/torch_handler/} names */
    private static Optional<String> torchServeDefault(String handler) {
        String module = handler.split(":", 2)[0].replace('\\', '/');
        int slash = module.lastIndexOf('/');
        String name = module.substring(slash + 1).replaceFirst("\\.py$", "");
        return slash >= 0
                        && module.substring(0, slash).endsWith("ts/torch_handler")
                        && TORCHSERVE_DEFAULTS.contains(name)
                ? Optional.of(name)
                : Optional.empty();
    }

    private static void check(ModelArchive archive) throws ModelLoadException {
        ArchiveManifest manifest = (ArchiveManifest) archive.manifest();
        String handler = manifest.handler();
        if (isPython(handler, archive.dir())) {
            throw new ModelLoadException("The handler '" + handler + "' is Python code, which Serval does not run. "
                    + SERVAL_RUNS + ". Port the handler to a Java Handler (see " + GUIDE + ") and name it in"
                    + " the manifest's handler, leaving out the .py file.");
        }
        if (manifest.modelFile().isPresent() || isPickle(manifest.serializedFile(), archive)) {
            throw new ModelLoadException("The model " + manifest.serializedFile()
                    + manifest.modelFile().map(file -> " with " + file).orElse("")
                    + " is eager PyTorch (weights for a Python class), which Serval cannot load. " + SERVAL_RUNS
                    + ". Export the model with torch.jit.trace or torch.jit.script (a .pt file) or with"
                    + " torch.onnx.export (an .onnx file) and archive that without --model-file (see " + GUIDE + ").");
        }
    }

    /**
     * As TorchServe's model loader reads a handler: {@code module[:function]}, the module a file
     * of the model folder, else one of its defaults.
     */
    private static boolean isPython(String handler, Path dir) {
        String module = handler.split(":", 2)[0];
        module = module.substring(Math.max(module.lastIndexOf('/'), module.lastIndexOf('\\')) + 1);
        if (module.endsWith(".py")) {
            return true;
        }
        return !module.isEmpty()
                && !TORCHSERVE_DEFAULTS.contains(module)
                && Files.isRegularFile(dir.resolve(module + ".py"));
    }

    /** {@code .pth} is torch.save's file, a pickle; a model config naming an engine says otherwise. */
    private static boolean isPickle(String serializedFile, ModelArchive archive) {
        return serializedFile.toLowerCase(Locale.ROOT).endsWith(".pth")
                && !archive.config().asMap().containsKey("engine");
    }
}
