package dev.serval.kernel.kserve;

import dev.serval.serving.ModelVersion;
import dev.serval.serving.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A model's Open Inference Protocol metadata: its name, versions, platform and tensors with their
 * data types and shapes ({@code -1} for a free dimension), as its {@code model-config.yaml}
 * declares them or its engine describes them (ONNX Runtime does; TorchScript does not). What
 * neither says is said so under {@code parameters}, rather than guessed.
 */
public final class ModelMetadata {

    private ModelMetadata() {}

    /**
     * @param version the version described
     * @param versions every version of the model
     * @return the metadata JSON
     */
    public static Map<String, Object> of(ModelVersion version, List<ModelVersion> versions) {
        Signature signature = version.signature();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", version.name());
        metadata.put("versions", versions.stream().map(ModelVersion::version).toList());
        metadata.put("platform", platform(version.engine()));
        metadata.put("inputs", tensors(signature.inputs()));
        metadata.put("outputs", tensors(signature.outputs()));
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (signature.inputs().isEmpty()) {
            parameters.put(
                    "inputs",
                    "not described by the " + version.engine()
                            + " engine for this model; declare them under inputs: in its model-config.yaml");
        }
        if (signature.outputs().isEmpty()) {
            parameters.put(
                    "outputs",
                    "not described by the " + version.engine() + " engine for this model;"
                            + " inference answers them as the model names them, else output0, output1, ...");
        }
        if (!parameters.isEmpty()) {
            metadata.put("parameters", parameters);
        }
        return metadata;
    }

    /**
     * @param engine a model's engine, as {@link ModelVersion#engine()} names it
     * @return its platform name, as the protocol's examples and KServe's model servers name it
     */
    public static String platform(String engine) {
        return switch (engine) {
            case "PyTorch" -> "pytorch_torchscript";
            case "OnnxRuntime" -> "onnx_onnxv1";
            default -> engine.toLowerCase(Locale.ROOT);
        };
    }

    private static List<Map<String, Object>> tensors(Optional<List<Signature.Tensor>> tensors) {
        return tensors.orElse(List.of()).stream()
                .map(tensor -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("name", tensor.name());
                    tensor.datatype().ifPresent(datatype -> json.put("datatype", datatype.name()));
                    tensor.shape().ifPresent(shape -> json.put("shape", shape));
                    return json;
                })
                .toList();
    }
}
