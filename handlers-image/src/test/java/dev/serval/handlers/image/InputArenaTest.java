package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What the memory of a handler's model inputs holds, batch after batch. */
class InputArenaTest {

    @Test
    void inputsAreDirectNativeOrderFloatsThatDoNotOverlap() {
        InputArena arena = new InputArena(1 << 20);
        ByteBuffer first = arena.take(3);
        ByteBuffer second = arena.take(2);

        for (ByteBuffer room : new ByteBuffer[] {first, second}) {
            assertTrue(room.isDirect(), "libtorch and ONNX Runtime take a direct buffer without a copy");
            assertEquals(ByteOrder.nativeOrder(), room.order());
            assertEquals(0, room.position());
        }
        assertEquals(3 * Float.BYTES, first.remaining());
        assertEquals(2 * Float.BYTES, second.remaining());
        first.asFloatBuffer().put(new float[] {1, 2, 3});
        second.asFloatBuffer().put(new float[] {4, 5});
        assertEquals(3f, first.getFloat(2 * Float.BYTES));
        assertEquals(4f, second.getFloat(0));
    }

    @Test
    void aNewBatchWritesOverThePreviousOnesInputs() {
        InputArena arena = new InputArena(1 << 20);
        ByteBuffer before = arena.take(4);
        before.asFloatBuffer().put(new float[] {1, 2, 3, 4});

        arena.reuse();
        arena.take(2).asFloatBuffer().put(new float[] {7, 8});

        assertEquals(7f, before.getFloat(0), "the same memory: nothing allocated for the second batch");
        assertEquals(3f, before.getFloat(2 * Float.BYTES));
    }

    @Test
    void inputsTakenBeforeTheArenaGrewKeepTheirValues() {
        InputArena arena = new InputArena(1 << 20);
        ByteBuffer small = arena.take(1);
        small.putFloat(0, 42);

        ByteBuffer large = arena.take(1000);
        large.putFloat(0, -1);

        assertTrue(large.isDirect());
        assertEquals(42f, small.getFloat(0));
    }

    @Test
    void inputsPastTheRetainedBytesAreOnTheHeap() {
        InputArena arena = new InputArena(64);
        ByteBuffer kept = arena.take(16);
        ByteBuffer past = arena.take(1);

        assertTrue(kept.isDirect());
        assertFalse(past.isDirect(), "a one-off input leaves no buffer held for good");
        assertEquals(ByteOrder.nativeOrder(), past.order());
        assertEquals(Float.BYTES, past.remaining());
        assertFalse(new InputArena(0).take(1).isDirect());
    }
}
