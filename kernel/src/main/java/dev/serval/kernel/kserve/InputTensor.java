package dev.serval.kernel.kserve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.serval.serving.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor of an inference request, checked against itself: its data, flat or nested in
 * row-major order, holds exactly as many elements of its type as its shape says.
 *
 * @param name the model input it is for
 * @param datatype its type
 * @param shape its dimensions
 * @param elements its data, flattened
 */
record InputTensor(String name, Datatype datatype, long[] shape, List<JsonNode> elements) {

    /** No request may make the server allocate more than its body could hold: 2^31 elements. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    /**
     * @param json one entry of the request's {@code inputs}
     * @return the tensor
     * @throws ServingException 400 naming what is wrong with it
     */
    static InputTensor parse(JsonNode json) {
        String name = InferRequest.text(json, "name", "an input");
        String type = InferRequest.text(json, "datatype", "input " + name);
        Datatype datatype = Datatype.named(type).orElseThrow(() -> InferRequest.invalid("Input " + name
                + " has datatype " + type + "; Serval takes " + Arrays.toString(Datatype.values())));
        JsonNode shapeJson = json.get("shape");
        if (shapeJson == null || !shapeJson.isArray()) {
            throw InferRequest.invalid("Input " + name + " has no shape");
        }
        long[] shape = new long[shapeJson.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = shapeJson.get(i);
            if (!dim.canConvertToLong() || !dim.isIntegralNumber() || dim.longValue() < 0) {
                throw InferRequest.invalid("Input " + name + " has a bad shape: " + shapeJson);
            }
            shape[i] = dim.longValue();
            if (shape[i] != 0 && count > MAX_ELEMENTS / shape[i]) {
                throw InferRequest.invalid("Input " + name + " has too many elements: shape " + shapeJson);
            }
            count *= shape[i];
        }
        JsonNode data = json.get("data");
        if (data == null) {
            throw InferRequest.invalid("Input " + name + " has no data");
        }
        List<JsonNode> elements = new ArrayList<>();
        flatten(data, elements, count);
        if (elements.size() != count) {
            throw InferRequest.invalid("Input " + name + " has " + elements.size() + " elements; its shape "
                    + shapeJson + " needs " + count);
        }
        return new InputTensor(name, datatype, shape, elements);
    }

    /** Stops at {@code limit} + 1 elements: enough to tell that there are too many. */
    private static void flatten(JsonNode node, List<JsonNode> into, long limit) {
        if (!node.isArray()) {
            into.add(node);
            return;
        }
        for (JsonNode child : node) {
            if (into.size() > limit) {
                return;
            }
            flatten(child, into, limit);
        }
    }

    /**
     * @param manager where the array lives; the caller closes it
     * @return the tensor as the engine's array, named as the input
     * @throws ServingException 400 when an element is not of the tensor's type
     */
    NDArray toArray(NDManager manager) {
        NDArray array;
        if (datatype == Datatype.BYTES) {
            String[] strings = new String[elements.size()];
            for (int i = 0; i < strings.length; i++) {
                if (!elements.get(i).isTextual()) {
                    throw badElement(i);
                }
                strings[i] = elements.get(i).textValue();
            }
            array = manager.create(strings, StandardCharsets.UTF_8, new Shape(shape));
        } else {
            ByteBuffer buffer = ByteBuffer.allocate(elements.size() * datatype.djl().getNumOfBytes())
                    .order(ByteOrder.nativeOrder());
            for (int i = 0; i < elements.size(); i++) {
                if (!datatype.put(elements.get(i), buffer)) {
                    throw badElement(i);
                }
            }
            buffer.flip();
            array = manager.create(buffer, new Shape(shape), datatype.djl());
        }
        array.setName(name);
        return array;
    }

    private ServingException badElement(int index) {
        return InferRequest.invalid("Input " + name + ": element " + index + " (" + elements.get(index)
                + ") is not " + datatype);
    }
}
