package dev.serval.serving;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A model's inputs and outputs as its engine describes them, read once when it is loaded. ONNX
 * Runtime describes its inputs (names, and shapes where they are fixed, {@code -1} for a free
 * dimension) but not its outputs; PyTorch describes neither for a TorchScript model. Data types
 * are not part of DJL's description.
 *
 * @param inputs the inputs in the order the model takes them, when the engine describes them
 * @param outputs the outputs, when the engine describes them
 */
public record Signature(Optional<List<Tensor>> inputs, Optional<List<Tensor>> outputs) {

    /**
     * @param name the tensor's name in the model
     * @param shape its dimensions, {@code -1} where any size goes, when the engine describes them
     */
    public record Tensor(String name, Optional<long[]> shape) {
    }

    /**
     * @param model an engine's model
     * @return what it says of its inputs and outputs; empty lists when it says nothing
     */
    public static Signature of(Model model) {
        return new Signature(describe(model::describeInput), describe(model::describeOutput));
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
                .map(p -> new Tensor(p.getKey(), Optional.ofNullable(p.getValue()).map(Shape::getShape))).toList());
    }
}
