package dev.serval.kernel.kserve;

import java.util.List;
import java.util.Optional;

/**
 * An Open Inference Protocol inference answer, whatever the transport.
 *
 * @param modelName the model that answered
 * @param modelVersion its version
 * @param id the request's id, when it had one
 * @param outputs the output tensors, in the order asked for, else the model's
 */
public record InferResponse(String modelName, String modelVersion, Optional<String> id, List<TensorData> outputs) {}
