package dev.serval.serving;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's inputs or outputs as its {@code model-config.yaml} declares them, for engines that
 * describe nothing (TorchScript) or to correct what they describe:
 *
 * <pre>{@code
 * inputs:
 *   - name: input0
 *     datatype: FP32          # the Open Inference Protocol's name
 *     shape: [-1, 1, 28, 28]  # -1: any size
 * outputs:
 *   - name: output0
 *     datatype: FP32
 *     shape: [-1, 10]
 * }</pre>
 */
final class DeclaredTensors {

    static final String INPUTS = "inputs";
    static final String OUTPUTS = "outputs";

    private DeclaredTensors() {}

    /**
     * @param config the model's {@code model-config.yaml}
     * @param key {@link #INPUTS} or {@link #OUTPUTS}
     * @return the declared tensors, in the model's order; empty when there is no declaration
     * @throws IllegalArgumentException saying what is malformed
     */
    static Optional<List<Signature.Tensor>> read(Map<String, Object> config, String key) {
        Object declared = config.get(key);
        if (declared == null) {
            return Optional.empty();
        }
        if (!(declared instanceof List<?> entries) || entries.isEmpty()) {
            throw malformed(key, "a list of tensors, each with name, datatype and shape");
        }
        List<Signature.Tensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = key + "[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw malformed(where, "a map with name, datatype and shape");
            }
            if (!(entry.get("name") instanceof String name) || name.isEmpty() || !names.add(name)) {
                throw malformed(where + ".name", "a name of its own");
            }
            Datatype datatype = Optional.ofNullable(entry.get("datatype"))
                    .map(Object::toString)
                    .flatMap(Datatype::named)
                    .orElseThrow(() -> malformed(where + ".datatype", "one of " + List.of(Datatype.values())));
            tensors.add(new Signature.Tensor(
                    name, Optional.of(shape(entry.get("shape"), where + ".shape")), Optional.of(datatype)));
        }
        return Optional.of(List.copyOf(tensors));
    }

    private static long[] shape(Object declared, String where) {
        if (!(declared instanceof List<?> dims)) {
            throw malformed(where, "a list of dimensions, -1 for any size");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Integer || dims.get(i) instanceof Long)
                    || ((Number) dims.get(i)).longValue() < -1) {
                throw malformed(where, "a list of dimensions, -1 for any size");
            }
            shape[i] = ((Number) dims.get(i)).longValue();
        }
        return shape;
    }

    private static IllegalArgumentException malformed(String where, String what) {
        return new IllegalArgumentException("model-config.yaml: " + where + " must be " + what);
    }
}
