package dev.serval.kernel.kserve;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Response;
import dev.serval.serving.Datatype;
import dev.serval.serving.ModelVersion;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs an Open Inference Protocol request, whatever the transport: numeric tensors straight
 * through the model ({@link TensorPass}); a {@code BYTES} tensor (images, texts) through the
 * model's handler ({@link HandlerPass}), so that a KServe client sends what a TorchServe client
 * sends.
 */
public final class Inference {

    private Inference() {}

    /**
     * @param request the request
     * @param version the version to run it on
     * @param encoder writes the answer for the transport
     * @param json writes a handler's JSON answers
     * @return the answer, or a {@link dev.serval.serving.ServingException} saying why there is none
     */
    public static CompletableFuture<Response> run(
            InferRequest request, ModelVersion version, Function<InferResponse, Response> encoder, ObjectMapper json) {
        if (request.inputs().stream().noneMatch(tensor -> tensor.datatype() == Datatype.BYTES)) {
            return version.forward(new TensorPass(request, version, encoder));
        }
        if (request.inputs().size() != 1) {
            throw InferRequest.invalid(
                    "A BYTES input goes to the model's handler, which takes one input: send it " + "alone, not with "
                            + request.inputs().stream().map(TensorData::name).toList());
        }
        return HandlerPass.run(request, version, json).thenApply(encoder);
    }
}
