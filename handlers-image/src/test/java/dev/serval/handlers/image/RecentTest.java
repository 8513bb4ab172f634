package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentTest {

    private record Made(int key) {}

    @Test
    void aValueIsMadeOnceWhileItsSlotHoldsIt() {
        Recent<Made> recent = new Recent<>(4);
        AtomicInteger made = new AtomicInteger();

        Made first = recent.get(7, m -> m.key() == 7, () -> {
            made.incrementAndGet();
            return new Made(7);
        });
        Made again = recent.get(7, m -> m.key() == 7, () -> {
            made.incrementAndGet();
            return new Made(7);
        });

        assertSame(first, again);
        assertEquals(1, made.get());
    }

    @Test
    void argumentsSharingASlotGetTheirOwnValueAndReplaceTheOther() {
        Recent<Made> recent = new Recent<>(1);

        Made one = recent.get(1, m -> m.key() == 1, () -> new Made(1));
        Made two = recent.get(2, m -> m.key() == 2, () -> new Made(2));
        Made oneAgain = recent.get(1, m -> m.key() == 1, () -> new Made(1));

        assertEquals(2, two.key());
        assertEquals(1, oneAgain.key());
        assertNotSame(one, oneAgain);
    }

    @Test
    void aSizeThatIsNoPowerOfTwoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Recent<Made>(12));
    }

    @Test
    void shapesOfTheSameDimensionsAreOneAndOthersKeepTheirOwn() {
        long[] dimensions = {1, 3, 28, 28};
        Shape shape = Shapes.of(dimensions);
        dimensions[0] = 8;

        assertEquals(new Shape(1, 3, 28, 28), shape);
        assertSame(shape, Shapes.of(1, 3, 28, 28));
        assertEquals(new Shape(8, 3, 28, 28), Shapes.of(dimensions));
        assertEquals(new Shape(3, 28), Shapes.of(3, 28));
    }
}
