package dev.serval.kernel.kserve;

import dev.serval.serving.Datatype;
import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * One tensor element between its Java value and its bytes on the wire (little-endian), for each
 * of the protocol's types. Java values: {@link Boolean} for {@code BOOL}; an integral
 * {@link Number} ({@code Integer}, {@code Long}, {@code BigInteger}) for the integer types,
 * within the type's range (a {@code UINT64} past {@code Long.MAX_VALUE} as a {@code BigInteger},
 * not as the negative {@code long} of gRPC's {@code uint64_contents}); any {@code Number} for the
 * floating ones; {@code byte[]} for {@code BYTES}.
 */
final class Elements {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Elements() {}

    /**
     * @param type the tensor's type
     * @param value the element
     * @return how many bytes it takes on the wire, or -1 when it is not of the type
     */
    static int size(Datatype type, Object value) {
        if (type != Datatype.BYTES) {
            return fits(type, value) ? type.size() : -1;
        }
        return value instanceof byte[] bytes ? Integer.BYTES + bytes.length : -1;
    }

    private static boolean fits(Datatype type, Object value) {
        return switch (type) {
            case BOOL -> value instanceof Boolean;
            case FP16, FP32, FP64, BF16 -> value instanceof Number;
            case BYTES -> value instanceof byte[];
            case UINT64 ->
                value instanceof BigInteger big
                        ? big.signum() >= 0 && big.compareTo(UINT64_MAX) <= 0
                        : integral(value) && ((Number) value).longValue() >= 0;
            default -> {
                if (value instanceof BigInteger big) {
                    yield big.bitLength() < Long.SIZE && inRange(type, big.longValue());
                }
                yield integral(value) && inRange(type, ((Number) value).longValue());
            }
        };
    }

    private static boolean integral(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    private static boolean inRange(Datatype type, long value) {
        return switch (type) {
            case UINT8 -> value >= 0 && value <= 0xFF;
            case UINT16 -> value >= 0 && value <= 0xFFFF;
            case UINT32 -> value >= 0 && value <= 0xFFFFFFFFL;
            case INT8 -> value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
            case INT16 -> value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
            case INT32 -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
            default -> true;
        };
    }

    /**
     * @param type the tensor's type
     * @param value an element for which {@link #size} was not -1
     * @param buffer where it goes, little-endian
     */
    static void put(Datatype type, Object value, ByteBuffer buffer) {
        switch (type) {
            case BOOL -> buffer.put((byte) ((Boolean) value ? 1 : 0));
            case FP16 -> buffer.putShort(HalfFloats.toFp16(((Number) value).floatValue()));
            case BF16 -> buffer.putShort(HalfFloats.toBf16(((Number) value).floatValue()));
            case FP32 -> buffer.putFloat(((Number) value).floatValue());
            case FP64 -> buffer.putDouble(((Number) value).doubleValue());
            case BYTES -> buffer.putInt(((byte[]) value).length).put((byte[]) value);
            case UINT8, INT8 -> buffer.put(((Number) value).byteValue());
            case UINT16, INT16 -> buffer.putShort(((Number) value).shortValue());
            case UINT32, INT32 -> buffer.putInt(((Number) value).intValue());
            case UINT64, INT64 -> buffer.putLong(((Number) value).longValue()); // BigInteger: its low 64 bits
        }
    }

    /**
     * @param type the tensor's type
     * @param buffer a tensor's bytes, little-endian, at an element
     * @return the element, as {@link Elements} describes values: the unsigned types as
     *     non-negative numbers, the 16-bit floats as {@code Float}
     */
    static Object get(Datatype type, ByteBuffer buffer) {
        return switch (type) {
            case BOOL -> buffer.get() != 0;
            case UINT8 -> Byte.toUnsignedInt(buffer.get());
            case UINT16 -> Short.toUnsignedInt(buffer.getShort());
            case UINT32 -> Integer.toUnsignedLong(buffer.getInt());
            case UINT64 -> {
                long value = buffer.getLong();
                yield value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
            }
            case INT8 -> (int) buffer.get();
            case INT16 -> (int) buffer.getShort();
            case INT32 -> buffer.getInt();
            case INT64 -> buffer.getLong();
            case FP16 -> HalfFloats.fromFp16(buffer.getShort());
            case BF16 -> HalfFloats.fromBf16(buffer.getShort());
            case FP32 -> buffer.getFloat();
            case FP64 -> buffer.getDouble();
            case BYTES -> {
                byte[] bytes = new byte[buffer.getInt()];
                buffer.get(bytes);
                yield bytes;
            }
        };
    }
}
