package dev.serval.kernel.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An inference request as the protocol's REST binding sends it: a JSON object, optionally
 * followed by tensors' bytes (the binary tensor data extension, as Triton defines it). With the
 * extension, {@code Inference-Header-Content-Length} gives the JSON's length; an input with
 * {@code "parameters": {"binary_data_size": n}} has no {@code data} and takes the next n bytes
 * after it. Outputs come back as bytes when asked, per output ({@code "binary_data": true} in
 * its parameters) or for all not asked otherwise ({@code "binary_data_output": true} in the
 * request's).
 *
 * @param request the request
 * @param binary per output asked for by name, whether it is wanted as bytes
 * @param binaryByDefault whether the outputs not asked otherwise are wanted as bytes
 */
public record RestRequest(InferRequest request, Map<String, Boolean> binary, boolean binaryByDefault) {

    /** The binary extension's header: the length of the body's JSON part. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param body the request body
     * @param headerLength the {@link #HEADER_LENGTH} header, when sent
     * @return the request
     * @throws ServingException 400 saying what is malformed
     */
    public static RestRequest parse(byte[] body, Optional<String> headerLength) {
        int jsonLength =
                headerLength.map(value -> jsonLength(value, body.length)).orElse(body.length);
        JsonNode json = json(body, jsonLength);
        if (json == null || !json.isObject()) {
            throw InferRequest.invalid("The body must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = json.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw InferRequest.invalid("The request has no \"inputs\"");
        }
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength);
        List<TensorData> tensors = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode input : inputs) {
            TensorData tensor = input(input, binary);
            if (!names.add(tensor.name())) {
                throw InferRequest.invalid("Input " + tensor.name() + " is given twice");
            }
            tensors.add(tensor);
        }
        if (binary.hasRemaining()) {
            throw InferRequest.invalid("The body has " + binary.remaining()
                    + " bytes after the JSON that no input's binary_data_size claims");
        }
        Map<String, Optional<Boolean>> outputs = new LinkedHashMap<>();
        JsonNode requested = json.get("outputs");
        if (requested != null) {
            for (JsonNode output : requested) {
                outputs.put(text(output, "name", "an output"), flag(output, "binary_data"));
            }
        }
        JsonNode id = json.get("id");
        InferRequest request = new InferRequest(
                Optional.ofNullable(id).filter(JsonNode::isTextual).map(JsonNode::textValue),
                List.copyOf(tensors),
                outputs.keySet());
        Map<String, Boolean> binaryOutputs = new LinkedHashMap<>();
        outputs.forEach((name, flag) -> flag.ifPresent(value -> binaryOutputs.put(name, value)));
        return new RestRequest(
                request, binaryOutputs, flag(json, "binary_data_output").orElse(false));
    }

    /**
     * @param body a request body, KServe's v1 or v2
     * @param length how many of its first bytes are the JSON
     * @return the JSON, or null when there is none
     * @throws ServingException 400 when it is not JSON
     */
    static JsonNode json(byte[] body, int length) {
        try {
            return JSON.readTree(body, 0, length);
        } catch (JsonProcessingException e) {
            throw InferRequest.invalid("The body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InferRequest.invalid("The body cannot be read: " + e.getMessage());
        }
    }

    private static int jsonLength(String header, int bodyLength) {
        int length;
        try {
            length = Integer.parseInt(header.strip());
        } catch (NumberFormatException e) {
            throw InferRequest.invalid(HEADER_LENGTH + " is not a number: " + header);
        }
        if (length < 0 || length > bodyLength) {
            throw InferRequest.invalid(HEADER_LENGTH + " is " + length + "; the body has " + bodyLength + " bytes");
        }
        return length;
    }

    private static TensorData input(JsonNode json, ByteBuffer binary) {
        String name = text(json, "name", "an input");
        String type = text(json, "datatype", "input " + name);
        Datatype datatype = TensorData.datatype(name, type);
        long[] shape = shape(json.get("shape"), name);
        JsonNode data = json.get("data");
        JsonNode size = json.path("parameters").get("binary_data_size");
        if (size == null) {
            if (data == null) {
                throw InferRequest.invalid("Input " + name + " has no data");
            }
            List<Object> values = new ArrayList<>();
            flatten(data, datatype, values, TensorData.elements(shape, name));
            return TensorData.ofValues(name, datatype, shape, values);
        }
        if (data != null) {
            throw InferRequest.invalid("Input " + name + " has both data and binary_data_size");
        }
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw InferRequest.invalid("Input " + name + " has a bad binary_data_size: " + size);
        }
        if (size.longValue() > binary.remaining()) {
            throw InferRequest.invalid("Input " + name + " claims " + size.longValue() + " bytes; the body has "
                    + binary.remaining() + " left after the JSON and the inputs before it");
        }
        ByteBuffer bytes = binary.slice().limit((int) size.longValue());
        binary.position(binary.position() + (int) size.longValue());
        return TensorData.ofBytes(name, datatype, shape, bytes);
    }

    private static long[] shape(JsonNode json, String name) {
        if (json == null || !json.isArray()) {
            throw InferRequest.invalid("Input " + name + " has no shape");
        }
        long[] shape = new long[json.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = json.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw InferRequest.invalid("Input " + name + " has a bad shape: " + json);
            }
            shape[i] = dim.longValue();
        }
        return shape;
    }

    /**
     * JSON's elements as {@link Elements}' values; {@code BYTES} are JSON strings, in UTF-8.
     * Stops at {@code limit} + 1 elements: enough to tell that there are too many.
     */
    private static void flatten(JsonNode node, Datatype datatype, List<Object> into, long limit) {
        if (!node.isArray()) {
            into.add(
                    node.isNumber()
                            ? node.numberValue()
                            : node.isBoolean()
                                    ? node.booleanValue()
                                    : node.isTextual() && datatype == Datatype.BYTES
                                            ? node.textValue().getBytes(StandardCharsets.UTF_8)
                                            : node);
            return;
        }
        for (JsonNode child : node) {
            if (into.size() > limit) {
                return;
            }
            flatten(child, datatype, into, limit);
        }
    }

    private static Optional<Boolean> flag(JsonNode json, String parameter) {
        JsonNode value = json.path("parameters").get(parameter);
        if (value != null && !value.isBoolean()) {
            throw InferRequest.invalid("Parameter " + parameter + " must be true or false, not " + value);
        }
        return Optional.ofNullable(value).map(JsonNode::booleanValue);
    }

    private static String text(JsonNode json, String field, String what) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw InferRequest.invalid("Field \"" + field + "\" of " + what + " is missing or not a string");
        }
        return value.textValue();
    }

    /**
     * @param output an output's name
     * @return whether it is wanted as bytes
     */
    public boolean wantsBinary(String output) {
        return binary.getOrDefault(output, binaryByDefault);
    }
}
