package dev.serval.serving;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Open Inference Protocol's tensor data types (KServe v2, Triton), by the protocol's names,
 * each with the engine's (DJL's) type and its size on the wire: little-endian, row-major, one
 * element after the other, as the binary tensor extension and gRPC's raw contents carry them.
 */
public enum Datatype {
    /** A boolean, one byte. */
    BOOL(DataType.BOOLEAN, 1),
    /** An unsigned 8-bit integer. */
    UINT8(DataType.UINT8, 1),
    /** An unsigned 16-bit integer. */
    UINT16(DataType.UINT16, 2),
    /** An unsigned 32-bit integer. */
    UINT32(DataType.UINT32, 4),
    /** An unsigned 64-bit integer. */
    UINT64(DataType.UINT64, 8),
    /** A signed 8-bit integer. */
    INT8(DataType.INT8, 1),
    /** A signed 16-bit integer. */
    INT16(DataType.INT16, 2),
    /** A signed 32-bit integer. */
    INT32(DataType.INT32, 4),
    /** A signed 64-bit integer. */
    INT64(DataType.INT64, 8),
    /** An IEEE 754 half-precision float. */
    FP16(DataType.FLOAT16, 2),
    /** An IEEE 754 single-precision float. */
    FP32(DataType.FLOAT32, 4),
    /** An IEEE 754 double-precision float. */
    FP64(DataType.FLOAT64, 8),
    /** A bfloat16: a single-precision float's upper 16 bits. */
    BF16(DataType.BFLOAT16, 2),
    /** Byte strings of any length: on the wire, each is a 4-byte little-endian length, then its bytes. */
    BYTES(DataType.STRING, 0);

    private final DataType djl;
    private final int size;

    Datatype(DataType djl, int size) {
        this.djl = djl;
        this.size = size;
    }

    /** @return the engine's type */
    public DataType djl() {
        return djl;
    }

    /** @return an element's size in bytes; 0 for {@link #BYTES}, whose elements vary */
    public int size() {
        return size;
    }

    /**
     * @param name the protocol's name, e.g. {@code FP32}
     * @return the type, when the protocol has it
     */
    public static Optional<Datatype> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * @param type an engine's type
     * @return the protocol's type for it, when there is one
     */
    public static Optional<Datatype> of(DataType type) {
        return Arrays.stream(values()).filter(t -> t.djl == type).findFirst();
    }
}
