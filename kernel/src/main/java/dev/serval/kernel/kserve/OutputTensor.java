package dev.serval.kernel.kserve;

import ai.djl.ndarray.NDArray;
import dev.serval.serving.ServingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One output tensor of an inference response, copied out of the engine's array. */
final class OutputTensor {

    private OutputTensor() {
    }

    /**
     * @param name the output's name
     * @param array the model's output
     * @return the protocol's JSON tensor: name, datatype, shape and flat row-major data
     * @throws ServingException 500 when the output's type has no protocol type
     */
    static Map<String, Object> of(String name, NDArray array) {
        Datatype datatype = Datatype.of(array.getDataType()).orElseThrow(() -> new ServingException(500,
                "InternalServerException", "Output " + name + " is of type " + array.getDataType()
                        + ", which the protocol cannot carry"));
        Map<String, Object> tensor = new LinkedHashMap<>();
        tensor.put("name", name);
        tensor.put("datatype", datatype.name());
        tensor.put("shape", array.getShape().getShape());
        tensor.put("data", data(array, datatype));
        return tensor;
    }

    private static List<Object> data(NDArray array, Datatype datatype) {
        if (datatype == Datatype.BYTES) {
            return Arrays.asList((Object[]) array.toStringArray());
        }
        ByteBuffer buffer = array.toByteBuffer().order(ByteOrder.nativeOrder());
        List<Object> data = new ArrayList<>(Math.toIntExact(array.size()));
        for (long i = 0; i < array.size(); i++) {
            data.add(datatype.get(buffer));
        }
        return data;
    }
}
