package dev.serval.serving;

import ai.djl.Model;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a serialized model with the engine its file type calls for, unless the model config
 * names one ({@code engine: OnnxRuntime}).
 */
public final class EngineModels {

    private EngineModels() {}

    /**
     * @param serializedFile the file named by the manifest
     * @param configuredEngine the model config's {@code engine}, if any
     * @return DJL's name of the engine to use
     * @throws IllegalArgumentException when neither the config nor the extension names an engine
     */
    public static String engineFor(Path serializedFile, Optional<String> configuredEngine) {
        if (configuredEngine.isPresent()) {
            String name = configuredEngine.get();
            if (!Engine.hasEngine(name)) {
                throw new IllegalArgumentException("Unknown engine '" + name + "'; Serval has " + Engines.PYTORCH
                        + " and " + Engines.ONNX_RUNTIME);
            }
            return name;
        }
        String file = serializedFile.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".pt") || file.endsWith(".torchscript")) {
            return Engines.PYTORCH;
        }
        if (file.endsWith(".onnx")) {
            return Engines.ONNX_RUNTIME;
        }
        throw new IllegalArgumentException("Cannot tell the engine of '" + serializedFile.getFileName()
                + "': use a .pt (TorchScript) or .onnx file, or set 'engine' in model-config.yaml");
    }

    /**
     * @param name the model's name
     * @param serializedFile the TorchScript or ONNX file
     * @param engineName DJL's engine name
     * @return the loaded model; the caller closes it
     * @throws Exception when the engine cannot load the file
     */
    public static Model load(String name, Path serializedFile, String engineName) throws Exception {
        Model model = Model.newInstance(name, engineName);
        try {
            Map<String, String> options = Engines.ONNX_RUNTIME.equals(engineName)
                    ? Map.of("intraOpNumThreads", String.valueOf(Engines.intraOpThreads()), "interOpNumThreads", "1")
                    : Map.of();
            String fileName = serializedFile.getFileName().toString();
            String prefix = fileName.substring(
                    0, fileName.lastIndexOf('.') < 0 ? fileName.length() : fileName.lastIndexOf('.'));
            model.load(serializedFile, prefix, options);
            return model;
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
    }
}
