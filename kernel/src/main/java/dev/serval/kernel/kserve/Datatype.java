package dev.serval.kernel.kserve;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol's tensor data types Serval takes and answers, each with its DJL
 * type, how a JSON element goes into a tensor's buffer and how one comes back out.
 */
enum Datatype {
    BOOL(DataType.BOOLEAN, 0, 1),
    UINT8(DataType.UINT8, 0, 255),
    INT8(DataType.INT8, Byte.MIN_VALUE, Byte.MAX_VALUE),
    INT16(DataType.INT16, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(DataType.INT32, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(DataType.INT64, Long.MIN_VALUE, Long.MAX_VALUE),
    FP32(DataType.FLOAT32, 0, 0),
    FP64(DataType.FLOAT64, 0, 0),
    /** Strings, written as JSON strings: ONNX Runtime takes them; PyTorch does not. */
    BYTES(DataType.STRING, 0, 0);

    private final DataType djl;
    private final long min;
    private final long max;

    Datatype(DataType djl, long min, long max) {
        this.djl = djl;
        this.min = min;
        this.max = max;
    }

    DataType djl() {
        return djl;
    }

    /**
     * @param name the protocol's name, e.g. {@code FP32}
     * @return the type, when Serval takes it
     */
    static Optional<Datatype> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * @param type a tensor's DJL type
     * @return the protocol's type for it, when there is one
     */
    static Optional<Datatype> of(DataType type) {
        return Arrays.stream(values()).filter(t -> t.djl == type).findFirst();
    }

    /**
     * @param value one element of a request's {@code data}
     * @param buffer where the tensor's elements go, in native order
     * @return whether the element fits the type (a number of its range, a boolean for BOOL)
     */
    boolean put(JsonNode value, ByteBuffer buffer) {
        switch (this) {
            case BOOL -> {
                if (!value.isBoolean()) {
                    return false;
                }
                buffer.put((byte) (value.booleanValue() ? 1 : 0));
            }
            case FP32 -> {
                if (!value.isNumber()) {
                    return false;
                }
                buffer.putFloat(value.floatValue());
            }
            case FP64 -> {
                if (!value.isNumber()) {
                    return false;
                }
                buffer.putDouble(value.doubleValue());
            }
            case BYTES -> throw new IllegalStateException("BYTES tensors are strings, not buffers");
            default -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()
                        || value.longValue() < min || value.longValue() > max) {
                    return false;
                }
                long v = value.longValue();
                switch (this) {
                    case UINT8, INT8 -> buffer.put((byte) v);
                    case INT16 -> buffer.putShort((short) v);
                    case INT32 -> buffer.putInt((int) v);
                    default -> buffer.putLong(v);
                }
            }
        }
        return true;
    }

    /**
     * @param buffer a tensor's elements, in native order
     * @return the next element, as JSON writes it
     */
    Object get(ByteBuffer buffer) {
        return switch (this) {
            case BOOL -> buffer.get() != 0;
            case UINT8 -> Byte.toUnsignedInt(buffer.get());
            case INT8 -> (int) buffer.get();
            case INT16 -> (int) buffer.getShort();
            case INT32 -> buffer.getInt();
            case INT64 -> buffer.getLong();
            case FP32 -> buffer.getFloat();
            case FP64 -> buffer.getDouble();
            case BYTES -> throw new IllegalStateException("BYTES tensors are strings, not buffers");
        };
    }
}
