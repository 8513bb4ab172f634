package dev.serval.kernel.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Response;
import dev.serval.serving.Datatype;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An inference answer as the protocol's REST binding sends it: JSON, or, when the request asked
 * for some outputs as bytes, the JSON followed by their bytes, its length in
 * {@link RestRequest#HEADER_LENGTH}, as the binary tensor data extension has it.
 *
 * @param response the body to send
 * @param headerLength the JSON part's length, for {@link RestRequest#HEADER_LENGTH}, when some
 *     outputs are bytes
 */
public record RestAnswer(Response response, Optional<Integer> headerLength) {

    /**
     * @param answer the model's answer
     * @param request what the client asked for
     * @param json writes the JSON part
     * @return the answer to send
     */
    public static RestAnswer of(InferResponse answer, RestRequest request, ObjectMapper json) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        List<ByteBuffer> binary = new ArrayList<>();
        for (TensorData tensor : answer.outputs()) {
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("name", tensor.name());
            output.put("datatype", tensor.datatype().name());
            output.put("shape", tensor.shape());
            if (request.wantsBinary(tensor.name())) {
                output.put("parameters", Map.of("binary_data_size", tensor.byteSize()));
                binary.add(tensor.data().duplicate());
            } else {
                output.put(
                        "data",
                        tensor.datatype() == Datatype.BYTES
                                ? tensor.values().stream()
                                        .map(bytes -> new String((byte[]) bytes, StandardCharsets.UTF_8))
                                        .toList()
                                : tensor.values());
            }
            outputs.add(output);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", answer.modelName());
        body.put("model_version", answer.modelVersion());
        answer.id().ifPresent(id -> body.put("id", id));
        body.put("outputs", outputs);
        if (binary.isEmpty()) {
            return new RestAnswer(Response.json(body), Optional.empty());
        }
        try {
            byte[] header = json.writeValueAsBytes(body);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(header);
            for (ByteBuffer tensor : binary) {
                byte[] copy = new byte[tensor.remaining()];
                tensor.get(copy);
                bytes.writeBytes(copy);
            }
            return new RestAnswer(
                    Response.bytes(bytes.toByteArray(), "application/octet-stream"), Optional.of(header.length));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
