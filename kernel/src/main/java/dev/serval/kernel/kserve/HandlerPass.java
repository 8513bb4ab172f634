package dev.serval.kernel.kserve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.Datatype;
import dev.serval.serving.ModelVersion;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@code BYTES} tensor run through the model's handler: each element is one request's body,
 * as a TorchServe client would send it to {@code /predictions} (an image's bytes, a text), and
 * each answer one element of the output, in the same shape: the handler's JSON or bytes. The
 * output is named {@value #OUTPUT}, as TorchServe's KServe v2 envelope names it, unless the
 * request names the one output it wants.
 */
final class HandlerPass {

    static final String OUTPUT = "predict";

    private HandlerPass() {}

    /**
     * @param request a request whose one input is a {@code BYTES} tensor
     * @param version the version whose handler answers
     * @param json writes the handler's JSON answers
     * @return the answers, or the first failure
     */
    static CompletableFuture<InferResponse> run(InferRequest request, ModelVersion version, ObjectMapper json) {
        if (request.outputs().size() > 1) {
            throw InferRequest.invalid("The handler answers one output, not " + request.outputs());
        }
        String output = request.outputs().stream().findFirst().orElse(OUTPUT);
        TensorData input = request.inputs().get(0);
        // Queued together, they are batched as the model's batch size allows.
        List<CompletableFuture<Response>> answers = input.values().stream()
                .map(body -> version.submit(Request.builder((byte[]) body).build()))
                .toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<byte[]> bodies = answers.stream()
                            .map(answer -> body(answer.join(), json))
                            .toList();
                    return new InferResponse(
                            version.name(),
                            version.version(),
                            request.id(),
                            List.of(TensorData.ofValues(output, Datatype.BYTES, input.shape(), bodies)));
                });
    }

    private static byte[] body(Response response, ObjectMapper json) {
        if (response.json().isEmpty()) {
            return response.bytes().orElse(new byte[0]);
        }
        try {
            return json.writeValueAsBytes(response.json().get());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
