package dev.serval.handlers.image;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits a batch into forward passes of same-shaped inputs and stacks each pass into one tensor. */
final class Batching {

    private Batching() {}

    /**
     * @param tensors the batch's inputs
     * @param together whether one pass may take several inputs
     * @return the indices of the inputs of each pass, in order of first appearance
     */
    static List<int[]> forwardPasses(List<InputTensor> tensors, boolean together) {
        if (tensors.size() == 1) {
            return List.of(new int[] {0}); // without batching, every time: no map, no streams
        }
        Map<Object, List<Integer>> passes = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            Object key = together ? tensors.get(i).shape() : i;
            passes.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        return passes.values().stream()
                .map(p -> p.stream().mapToInt(Integer::intValue).toArray())
                .toList();
    }

    /**
     * Stacks in Java rather than with {@code NDArrays.stack}: ONNX Runtime's arrays have no stack
     * of their own.
     *
     * @param tensors the batch's inputs
     * @param pass the indices of one pass's inputs, all of one shape
     * @param manager owns the stacked array
     * @param arena where the stacked values go, for a pass of more than one
     * @return the {@code N×...} input of the pass
     */
    static NDList stack(List<InputTensor> tensors, int[] pass, NDManager manager, InputArena arena) {
        Shape shape = tensors.get(pass[0]).shape();
        if (pass.length == 1) {
            // A pass of one is its input as it is: a copy cost 600 KB a request for a 224×224 RGB model.
            return new NDList(manager.create(tensors.get(pass[0]).data(), batched(1, shape), DataType.FLOAT32));
        }
        int size = Math.toIntExact(shape.size());
        ByteBuffer data = arena.take(Math.multiplyExact(pass.length, size));
        for (int i = 0; i < pass.length; i++) {
            data.put(i * size * Float.BYTES, tensors.get(pass[i]).data(), 0, size * Float.BYTES);
        }
        return new NDList(manager.create(data, batched(pass.length, shape), DataType.FLOAT32));
    }

    /** @return {@code N × shape}, without {@code Shape.addAll}'s two shapes more (1 KB a request) */
    private static Shape batched(int n, Shape shape) {
        long[] dimensions = new long[1 + shape.dimension()];
        dimensions[0] = n;
        for (int i = 0; i < shape.dimension(); i++) {
            dimensions[i + 1] = shape.get(i);
        }
        return Shapes.of(dimensions);
    }
}
