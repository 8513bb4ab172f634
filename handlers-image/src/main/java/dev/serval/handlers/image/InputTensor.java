package dev.serval.handlers.image;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * One request's input to the model, without the batch dimension.
 *
 * @param data float32 values, row-major, in native order: direct when taken from an
 *     {@link InputArena}, valid until it is reused
 * @param shape their shape, {@code C×H×W} for images
 */
record InputTensor(ByteBuffer data, Shape shape) {

    /**
     * @param arena where its values go
     * @param shape its shape
     * @return a tensor of that shape, its values to be written through {@link #floats()}
     */
    static InputTensor of(InputArena arena, Shape shape) {
        return new InputTensor(arena.take(Math.toIntExact(shape.size())), shape);
    }

    /** @return its values, to read or write, from the first */
    FloatBuffer floats() {
        return data.asFloatBuffer();
    }
}
