package dev.serval.kernel.kserve;

/**
 * The protocol's 16-bit floating types to and from Java's {@code float}, rounding to the nearest
 * even as NumPy and PyTorch do: IEEE 754 half precision ({@code FP16}: 5 exponent bits, 10 of
 * mantissa) and bfloat16 ({@code BF16}: a float's upper half). Java 17 has neither.
 */
final class HalfFloats {

    private HalfFloats() {}

    /**
     * @param value a float
     * @return its nearest half: out of range is an infinity, below the smallest subnormal a zero
     */
    static short toFp16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // A subnormal half: the float's mantissa with its implicit 1, shifted into 10 bits.
            return (short) (sign | rounded(mantissa | 0x800000, 14 - halfExponent));
        }
        // Rounding may carry into the exponent, which is right: up to the next power of two, or infinity.
        return (short) (sign | ((halfExponent << 10) + rounded(mantissa, 13)));
    }

    /** @return {@code value >>> shift}, rounded to the nearest, ties to even */
    private static int rounded(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) != 0) ? kept + 1 : kept;
    }

    /**
     * @param half an FP16's bits
     * @return its value, exactly
     */
    static float fromFp16(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign != 0 ? -subnormal : subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * @param value a float
     * @return its nearest bfloat16; a NaN stays a (quiet) NaN
     */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * @param bf16 a bfloat16's bits
     * @return its value, exactly
     */
    static float fromBf16(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }
}
