package dev.serval.kernel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.serval.kernel.model.ServingException;
import dev.serval.kernel.threads.DaemonThreads;
import dev.serval.sdk.Response;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Answers a request with what a model version's workers answer, once they do, up to
 * {@code max_response_size}: a larger answer is refused with a 507 rather than sent.
 */
final class Answers {

    /**
     * Writes answers, so that a worker completing a request goes straight back to its model
     * instead of serialising and sending the response itself.
     */
    private static final Executor WRITERS = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.numbered("serval-answers-"));

    private final long maxResponseSize;

    /** @param maxResponseSize the largest body sent, in bytes */
    Answers(long maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    /** @return the {@code {version}} path parameter, when the route has one */
    static Optional<String> version(Context ctx) {
        return ctx.pathParamMap().containsKey("version") ? Optional.of(ctx.pathParam("version")) : Optional.empty();
    }

    /**
     * Hands the request to Jetty asynchronously until the workers answer, then writes their
     * response, or TorchServe's error JSON.
     */
    void when(Context ctx, CompletableFuture<Response> response) {
        ctx.future(() -> response.handleAsync((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ServingException e) {
                    ApiServer.error(ctx, e.status(), e.type(), e.getMessage());
                } else {
                    ApiServer.error(ctx, 500, "InternalServerException", "Prediction failed");
                }
            } else {
                try {
                    write(ctx, result);
                } catch (JsonProcessingException e) {
                    throw new CompletionException(e);
                }
            }
            return null;
        }, WRITERS));
    }

    private void write(Context ctx, Response response) throws JsonProcessingException {
        byte[] body = response.json().isPresent() ? ApiServer.JSON.writeValueAsBytes(response.json().get())
                : response.bytes().orElse(new byte[0]);
        if (body.length > maxResponseSize) {
            ApiServer.error(ctx, 507, "ResponseTooLargeException", "The response of " + body.length
                    + " bytes exceeds max_response_size (" + maxResponseSize + " bytes); raise it in config.properties");
            return;
        }
        ctx.contentType(response.json().isPresent() ? ContentType.JSON : response.contentType()).result(body);
    }
}
