package dev.serval.handlers.image;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The NumPy dtypes an {@code .npy} body may hold: signed and unsigned integers and floats, read as
 * float32, as TorchServe's {@code torch.FloatTensor(data)} converts them. Booleans, complex
 * numbers, strings, records and objects are not numbers a vision model takes.
 */
enum NpyType {
    INT8("i1", 1, ByteBuffer::get),
    UINT8("u1", 1, data -> data.get() & 0xff),
    INT16("i2", 2, ByteBuffer::getShort),
    UINT16("u2", 2, data -> data.getShort() & 0xffff),
    INT32("i4", 4, ByteBuffer::getInt),
    UINT32("u4", 4, data -> data.getInt() & 0xffff_ffffL),
    INT64("i8", 8, ByteBuffer::getLong),
    UINT64("u8", 8, data -> {
        long value = data.getLong();
        // Halved to fit a long, then doubled: exact to float32's precision.
        return value >= 0 ? value : ((value >>> 1) | (value & 1)) * 2f;
    }),
    FLOAT32("f4", 4, ByteBuffer::getFloat),
    FLOAT64("f8", 8, data -> (float) data.getDouble());

    /** Reads one value. */
    @FunctionalInterface
    private interface Reader {
        float read(ByteBuffer data);
    }

    private final String code;
    private final int size;
    private final Reader reader;

    NpyType(String code, int size, Reader reader) {
        this.code = code;
        this.size = size;
        this.reader = reader;
    }

    /** @return the bytes one value takes */
    int size() {
        return size;
    }

    /**
     * @param data positioned at a value, in the file's byte order
     * @return the value as float32; the buffer moves past it
     */
    float read(ByteBuffer data) {
        return reader.read(data);
    }

    /**
     * @param code the type code of a {@code descr} without its byte order, e.g. {@code f4}
     * @return the type, when it is one of these
     */
    static Optional<NpyType> of(String code) {
        return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
    }

    /** @return the accepted codes, for messages */
    static String codes() {
        return Arrays.stream(values()).map(type -> type.code).collect(Collectors.joining(", "));
    }
}
