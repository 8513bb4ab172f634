package dev.serval.kernel.kserve;

import dev.serval.serving.ServingException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An Open Inference Protocol inference request, whatever the transport: its tensors, and which
 * outputs the client wants.
 *
 * @param id the client's id for the request, answered back
 * @param inputs the input tensors, in the request's order, each name once
 * @param outputs the names of the outputs wanted, in the request's order; all when empty
 */
public record InferRequest(Optional<String> id, List<TensorData> inputs, Set<String> outputs) {

    /**
     * @param message what is wrong with a request
     * @return the 400 that says it
     */
    public static ServingException invalid(String message) {
        return new ServingException(400, "BadRequestException", message);
    }
}
