package dev.serval.kernel.kserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FP16 and BF16 against values worked out from IEEE 754 and bfloat16's definition. */
class HalfFloatsTest {

    @Test
    void fp16KnownBits() {
        assertEquals((short) 0x3C00, HalfFloats.toFp16(1f));
        assertEquals((short) 0xC000, HalfFloats.toFp16(-2f));
        assertEquals((short) 0x7BFF, HalfFloats.toFp16(65504f)); // the largest half
        assertEquals((short) 0x7C00, HalfFloats.toFp16(65520f)); // rounds past it: infinity
        assertEquals((short) 0x0001, HalfFloats.toFp16(0x1p-24f)); // the smallest subnormal
        assertEquals((short) 0x0000, HalfFloats.toFp16(0x1p-26f));
        assertEquals((short) 0x8000, HalfFloats.toFp16(-0f));
        assertEquals((short) 0x3555, HalfFloats.toFp16(1f / 3));
        assertEquals((short) 0xFC00, HalfFloats.toFp16(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(HalfFloats.fromFp16(HalfFloats.toFp16(Float.NaN))));
    }

    @Test
    void fp16RoundsTiesToEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: to 1, the even one.
        assertEquals((short) 0x3C00, HalfFloats.toFp16(1f + 0x1p-11f));
        // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 and 1 + 2^-9: to the even 1 + 2^-9.
        assertEquals((short) 0x3C02, HalfFloats.toFp16(1f + 3 * 0x1p-11f));
    }

    @Test
    void everyFp16RoundTrips() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float value = HalfFloats.fromFp16((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, HalfFloats.toFp16(value), Integer.toHexString(bits));
            }
        }
        assertEquals(0x1p-24f, HalfFloats.fromFp16((short) 0x0001));
        assertEquals(65504f, HalfFloats.fromFp16((short) 0x7BFF));
    }

    @Test
    void bf16IsAFloatsUpperHalfRounded() {
        assertEquals((short) 0x3F80, HalfFloats.toBf16(1f));
        assertEquals((short) 0xC2F7, HalfFloats.toBf16(-123.5f)); // exactly representable
        assertEquals((short) 0x3EAB, HalfFloats.toBf16(1f / 3)); // 0x3EAAAAAB rounds up
        assertEquals((short) 0x3F80, HalfFloats.toBf16(Float.intBitsToFloat(0x3F808000))); // tie to even
        assertEquals((short) 0x3F82, HalfFloats.toBf16(Float.intBitsToFloat(0x3F818000))); // tie to even, up
        assertEquals(-123.5f, HalfFloats.fromBf16((short) 0xC2F7));
        assertTrue(Float.isNaN(HalfFloats.fromBf16(HalfFloats.toBf16(Float.NaN))));
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float value = HalfFloats.fromBf16((short) bits);
            if (!Float.isNaN(value)) {
                assertEquals((short) bits, HalfFloats.toBf16(value), Integer.toHexString(bits));
            }
        }
    }
}
