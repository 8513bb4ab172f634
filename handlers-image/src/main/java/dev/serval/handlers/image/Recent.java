package dev.serval.handlers.image;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values made recently, one per slot of a small direct-mapped cache, for what a model asks again
 * with the same arguments request after request (a resize filter, a tensor shape). Bounded,
 * whatever sizes clients send; a slot's value is replaced, never changed, so the values must be
 * immutable, and then any thread may share them.
 *
 * @param <V> the values, each knowing the arguments it was made for
 */
final class Recent<V> {

    private final AtomicReferenceArray<V> slots;

    /** @param size the number of slots, a power of two */
    Recent(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two, not " + size);
        }
        slots = new AtomicReferenceArray<>(size);
    }

    /**
     * @param hash the arguments' hash, which picks the slot
     * @param madeFor whether a value was made for these arguments
     * @param make makes the value for them, when the slot holds another
     * @return the slot's value, or the one made in its place
     */
    V get(int hash, Predicate<V> madeFor, Supplier<V> make) {
        int slot = hash & (slots.length() - 1);
        V recent = slots.get(slot);
        if (recent != null && madeFor.test(recent)) {
            return recent;
        }
        V made = make.get();
        slots.set(slot, made);
        return made;
    }
}
