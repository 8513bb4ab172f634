package dev.serval.kernel.kserve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A named tensor as the Open Inference Protocol carries it, whatever the transport: its type,
 * shape and bytes (little-endian, row-major; {@code BYTES} elements each a 4-byte length and its
 * bytes), checked against each other. REST's JSON {@code data} and gRPC's typed {@code contents}
 * come in as element values ({@link #ofValues}), the binary extension and gRPC's
 * {@code raw_input_contents} as bytes ({@link #ofBytes}); sizes are checked against what was
 * sent before anything is allocated, so a claimed shape costs nothing.
 *
 * @param name the tensor's name
 * @param datatype its type
 * @param shape its dimensions
 * @param data its bytes, read-only, little-endian
 */
public record TensorData(String name, Datatype datatype, long[] shape, ByteBuffer data) {

    /** No request may make the server allocate more than its body could hold: 2^31 elements. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * @param shape a tensor's dimensions, each 0 or more
     * @param name the tensor's name, for the error
     * @return how many elements it has
     * @throws ServingException 400 when a dimension is negative or there are more than 2^31
     */
    public static long elements(long[] shape, String name) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw InferRequest.invalid("Tensor " + name + " has a bad shape: " + Arrays.toString(shape));
            }
            if (dim != 0 && count > MAX_ELEMENTS / dim) {
                throw InferRequest.invalid(
                        "Tensor " + name + " has too many elements: shape " + Arrays.toString(shape));
            }
            count *= dim;
        }
        return count;
    }

    /**
     * @param name an input's name, for the error
     * @param type its datatype as the request names it
     * @return the protocol's type of that name
     * @throws ServingException 400 when the protocol has no such type
     */
    public static Datatype datatype(String name, String type) {
        return Datatype.named(type)
                .orElseThrow(() -> InferRequest.invalid("Input " + name + " has datatype " + type
                        + "; the protocol has " + Arrays.toString(Datatype.values())));
    }

    /**
     * @param name the tensor's name
     * @param datatype its type
     * @param shape its dimensions
     * @param bytes its bytes as sent, little-endian; not copied
     * @return the tensor
     * @throws ServingException 400 when the bytes are not as many as the shape and type need
     */
    public static TensorData ofBytes(String name, Datatype datatype, long[] shape, ByteBuffer bytes) {
        long count = elements(shape, name);
        ByteBuffer data = bytes.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        if (datatype != Datatype.BYTES) {
            if (data.remaining() != count * datatype.size()) {
                throw InferRequest.invalid("Tensor " + name + " has " + data.remaining() + " bytes; its shape "
                        + Arrays.toString(shape) + " of " + datatype + " needs " + count * datatype.size());
            }
        } else {
            checkStrings(name, shape, count, data.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        }
        return new TensorData(name, datatype, shape, data);
    }

    /** Each of {@code count} strings' length within the bytes left, and no bytes after the last. */
    private static void checkStrings(String name, long[] shape, long count, ByteBuffer data) {
        for (long i = 0; i < count; i++) {
            if (data.remaining() < Integer.BYTES) {
                throw InferRequest.invalid("Tensor " + name + " has " + i + " BYTES elements; its shape "
                        + Arrays.toString(shape) + " needs " + count);
            }
            int length = data.getInt();
            if (length < 0 || length > data.remaining()) {
                throw InferRequest.invalid("Tensor " + name + ": BYTES element " + i + " claims "
                        + Integer.toUnsignedString(length) + " bytes; " + data.remaining() + " are left");
            }
            data.position(data.position() + length);
        }
        if (data.hasRemaining()) {
            throw InferRequest.invalid(
                    "Tensor " + name + " has " + data.remaining() + " bytes past its " + count + " BYTES elements");
        }
    }

    /**
     * @param name the tensor's name
     * @param datatype its type
     * @param shape its dimensions
     * @param values its elements, flat, row-major, as {@link Elements} describes them
     * @return the tensor
     * @throws ServingException 400 when there are not as many as the shape says, or one is not of the type
     */
    public static TensorData ofValues(String name, Datatype datatype, long[] shape, List<?> values) {
        long count = elements(shape, name);
        if (values.size() != count) {
            throw InferRequest.invalid("Tensor " + name + " has " + values.size() + " elements; its shape "
                    + Arrays.toString(shape) + " needs " + count);
        }
        long size = 0;
        for (int i = 0; i < values.size(); i++) {
            int bytes = Elements.size(datatype, values.get(i));
            if (bytes < 0) {
                throw InferRequest.invalid(
                        "Tensor " + name + ": element " + i + " (" + shown(values.get(i)) + ") is not " + datatype);
            }
            size += bytes;
        }
        if (size > MAX_ELEMENTS) {
            throw InferRequest.invalid("Tensor " + name + " takes " + size + " bytes, more than 2^31");
        }
        ByteBuffer data = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(value -> Elements.put(datatype, value, data));
        return new TensorData(
                name, datatype, shape, data.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    private static String shown(Object value) {
        return value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    }

    /**
     * @param name the output's name
     * @param array an engine's output
     * @return it as the protocol's tensor, its bytes copied out of the engine
     * @throws ServingException 500 when its type has no protocol type
     */
    public static TensorData of(String name, NDArray array) {
        Datatype datatype = Datatype.of(array.getDataType())
                .orElseThrow(() -> new ServingException(
                        500,
                        "InternalServerException",
                        "Output " + name + " is of type " + array.getDataType() + ", which the protocol cannot carry"));
        long[] shape = array.getShape().getShape();
        if (datatype == Datatype.BYTES) {
            List<byte[]> strings = new ArrayList<>();
            for (String string : array.toStringArray()) {
                strings.add(string.getBytes(StandardCharsets.UTF_8));
            }
            return ofValues(name, datatype, shape, strings);
        }
        // DJL's buffers are in the platform's order, which is little-endian on every platform it runs on.
        return ofBytes(name, datatype, shape, array.toByteBuffer());
    }

    /**
     * @param manager where the array lives; the caller closes it
     * @return the tensor as the engine's array, named as the tensor
     */
    public NDArray toArray(NDManager manager) {
        NDArray array;
        if (datatype == Datatype.BYTES) {
            array = manager.create(
                    values().stream()
                            .map(bytes -> new String((byte[]) bytes, StandardCharsets.UTF_8))
                            .toArray(String[]::new),
                    StandardCharsets.UTF_8,
                    new Shape(shape));
        } else {
            ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
            copy.put(data.duplicate()).flip();
            array = manager.create(copy, new Shape(shape), datatype.djl());
        }
        array.setName(name);
        return array;
    }

    /** @return its elements, flat, row-major, as {@link Elements} describes them */
    public List<Object> values() {
        ByteBuffer buffer = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<Object> values = new ArrayList<>();
        while (buffer.hasRemaining()) {
            values.add(Elements.get(datatype, buffer));
        }
        return values;
    }

    /** @return how many bytes its data takes */
    public int byteSize() {
        return data.remaining();
    }
}
