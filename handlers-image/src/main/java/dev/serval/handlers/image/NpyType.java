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
    INT8("i1", 1) {
        @Override
        float read(ByteBuffer data) {
            return data.get();
        }
    },
    UINT8("u1", 1) {
        @Override
        float read(ByteBuffer data) {
            return data.get() & 0xff;
        }
    },
    INT16("i2", 2) {
        @Override
        float read(ByteBuffer data) {
            return data.getShort();
        }
    },
    UINT16("u2", 2) {
        @Override
        float read(ByteBuffer data) {
            return data.getShort() & 0xffff;
        }
    },
    INT32("i4", 4) {
        @Override
        float read(ByteBuffer data) {
            return data.getInt();
        }
    },
    UINT32("u4", 4) {
        @Override
        float read(ByteBuffer data) {
            return data.getInt() & 0xffff_ffffL;
        }
    },
    INT64("i8", 8) {
        @Override
        float read(ByteBuffer data) {
            return data.getLong();
        }
    },
    UINT64("u8", 8) {
        @Override
        float read(ByteBuffer data) {
            long value = data.getLong();
            // Halved to fit a long, then doubled: exact to float32's precision.
            return value >= 0 ? value : ((value >>> 1) | (value & 1)) * 2f;
        }
    },
    FLOAT32("f4", 4) {
        @Override
        float read(ByteBuffer data) {
            return data.getFloat();
        }
    },
    FLOAT64("f8", 8) {
        @Override
        float read(ByteBuffer data) {
            return (float) data.getDouble();
        }
    };

    private final String code;
    private final int size;

    NpyType(String code, int size) {
        this.code = code;
        this.size = size;
    }

    /** @return the bytes one value takes */
    int size() {
        return size;
    }

    /**
     * @param data positioned at a value, in the file's byte order
     * @return the value as float32; the buffer moves past it
     */
    abstract float read(ByteBuffer data);

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
