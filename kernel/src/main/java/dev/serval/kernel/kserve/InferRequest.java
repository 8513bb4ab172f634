package dev.serval.kernel.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.serving.ServingException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An Open Inference Protocol inference request: its tensors, and which outputs the client wants.
 *
 * @param id the client's id for the request, answered back
 * @param inputs the input tensors, in the request's order
 * @param outputs the names of the outputs wanted; all when empty
 */
public record InferRequest(Optional<String> id, List<InputTensor> inputs, Set<String> outputs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param body the request body
     * @return the request
     * @throws ServingException 400 saying what is malformed
     */
    public static InferRequest parse(byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("The body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw invalid("The body cannot be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw invalid("The body must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = json.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw invalid("The request has no \"inputs\"");
        }
        List<InputTensor> tensors = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode input : inputs) {
            InputTensor tensor = InputTensor.parse(input);
            if (!names.add(tensor.name())) {
                throw invalid("Input " + tensor.name() + " is given twice");
            }
            tensors.add(tensor);
        }
        Set<String> outputs = new LinkedHashSet<>();
        JsonNode requested = json.get("outputs");
        if (requested != null) {
            for (JsonNode output : requested) {
                outputs.add(text(output, "name", "an output"));
            }
        }
        JsonNode id = json.get("id");
        return new InferRequest(Optional.ofNullable(id).filter(JsonNode::isTextual).map(JsonNode::textValue),
                List.copyOf(tensors), outputs);
    }

    static String text(JsonNode json, String field, String what) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw invalid("Field \"" + field + "\" of " + what + " is missing or not a string");
        }
        return value.textValue();
    }

    static ServingException invalid(String message) {
        return new ServingException(400, "BadRequestException", message);
    }
}
