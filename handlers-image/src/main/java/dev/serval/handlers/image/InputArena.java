package dev.serval.handlers.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory one handler instance writes its model inputs in, reused batch after batch: a direct
 * buffer in native order, which DJL hands to libtorch and ONNX Runtime as it is. Written into a
 * {@code float[]} instead, every input was allocated twice a request, once on the heap (3 KB for
 * a 28 × 28 digit, 600 KB for a 224 × 224 RGB image: most of the young collections) and once
 * outside it by DJL's copy, freed only when a collection came.
 *
 * <p>An input taken stays valid until {@link #reuse()}: the handler calls it when a batch starts,
 * its previous batch's arrays closed. The buffer grows, to hold a whole batch, up to the bytes
 * given at construction; an input that would pass them gets an array of its own on the heap, as
 * before, so that one large batch leaves no large buffer held for good. Confined to the worker's
 * thread, as its handler instance is.
 */
final class InputArena {

    private final int retained;
    private ByteBuffer memory = ByteBuffer.allocateDirect(0);
    private int used;

    /** @param retained the most bytes the arena keeps between batches; 0: every input on the heap */
    InputArena(int retained) {
        this.retained = retained;
    }

    /** The inputs taken so far are no longer read: their memory is taken again. */
    void reuse() {
        used = 0;
    }

    /**
     * @param values the number of float32 values
     * @return room for them, in native order, positioned at 0 and limited to them
     * @throws ArithmeticException when they would not fit in one buffer
     */
    ByteBuffer take(int values) {
        int bytes = Math.multiplyExact(values, Float.BYTES);
        if (bytes > memory.capacity() - used) {
            int needed = Math.addExact(used, bytes);
            if (needed > retained) {
                return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
            }
            // What was taken from the old buffer stays there, and valid, until the next batch.
            memory = ByteBuffer.allocateDirect((int) Math.min(retained, Math.max(2L * memory.capacity(), needed)));
            used = 0;
        }
        ByteBuffer room = memory.slice(used, bytes).order(ByteOrder.nativeOrder());
        used += bytes;
        return room;
    }
}
