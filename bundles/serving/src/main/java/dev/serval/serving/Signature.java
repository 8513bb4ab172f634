package dev.serval.serving;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A model's inputs and outputs, read once when it is loaded: as its {@code model-config.yaml}
 * declares them ({@link DeclaredTensors}), else as its engine describes them. ONNX Runtime's
 * session describes names, types and shapes ({@code -1} for a free dimension) of both; PyTorch
 * describes nothing of a TorchScript model.
 *
 * @param inputs the inputs in the order the model takes them, when declared or described
 * @param outputs the outputs in the order the model answers them, when declared or described
 */
public record Signature(Optional<List<Tensor>> inputs, Optional<List<Tensor>> outputs) {

    /**
     * @param name the tensor's name in the model
     * @param shape its dimensions, {@code -1} where any size goes, when known
     * @param datatype its type, when known
     */
    public record Tensor(String name, Optional<long[]> shape, Optional<Datatype> datatype) {}

    /**
     * @param model an engine's model
     * @param config the model's {@code model-config.yaml}
     * @return what the config declares of its inputs and outputs, else what the engine says
     * @throws IllegalArgumentException when the config's declaration is malformed
     */
    public static Signature of(Model model, Map<String, Object> config) {
        Optional<Signature> session = OnnxSessions.describe(model);
        Optional<List<Tensor>> inputs = session.flatMap(Signature::inputs).or(() -> describe(model::describeInput));
        Optional<List<Tensor>> outputs = session.flatMap(Signature::outputs).or(() -> describe(model::describeOutput));
        return new Signature(
                DeclaredTensors.read(config, DeclaredTensors.INPUTS).or(() -> inputs),
                DeclaredTensors.read(config, DeclaredTensors.OUTPUTS).or(() -> outputs));
    }

    private static Optional<List<Tensor>> describe(Supplier<PairList<String, Shape>> description) {
        PairList<String, Shape> pairs;
        try {
            pairs = description.get();
        } catch (RuntimeException e) {
            // ONNX Runtime's outputs: "not supported". A description is informative only; the
            // model serves without one.
            return Optional.empty();
        }
        if (pairs == null || pairs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pairs.stream()
                .map(p -> new Tensor(
                        p.getKey(), Optional.ofNullable(p.getValue()).map(Shape::getShape), Optional.empty()))
                .toList());
    }
}
