package dev.serval.kernel.kserve;

import dev.serval.serving.ModelVersion;
import dev.serval.serving.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's Open Inference Protocol metadata: its name, versions, platform and tensors, as far as
 * the engine describes them. What the engine does not describe is said so under
 * {@code parameters}, rather than guessed; DJL's descriptions carry no data types.
 */
public final class ModelMetadata {

    private ModelMetadata() {
    }

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
        parameters.put("datatypes", "not described by the engine; send the types the model was exported with");
        parameters.put("shapes", "given where the engine describes them; -1 is a free dimension");
        if (signature.inputs().isEmpty()) {
            parameters.put("inputs", "not described by the " + version.engine() + " engine for this model");
        }
        if (signature.outputs().isEmpty()) {
            parameters.put("outputs", "not described by the " + version.engine()
                    + " engine for this model; inference answers them as the model names them, else output0, output1, ...");
        }
        metadata.put("parameters", parameters);
        return metadata;
    }

    private static String platform(String engine) {
        return switch (engine) {
            case "PyTorch" -> "pytorch_torchscript";
            case "OnnxRuntime" -> "onnxruntime_onnx";
            default -> engine.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static List<Map<String, Object>> tensors(Optional<List<Signature.Tensor>> tensors) {
        return tensors.orElse(List.of()).stream().map(tensor -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", tensor.name());
            tensor.shape().ifPresent(shape -> json.put("shape", shape));
            return json;
        }).toList();
    }
}
