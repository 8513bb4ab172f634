package dev.serval.kernel.http;

import dev.serval.kernel.model.ServingException;
import dev.serval.sdk.Response;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Answers a request with what a model version's workers answer, once they do. */
final class Answers {

    private Answers() {
    }

    /** @return the {@code {version}} path parameter, when the route has one */
    static Optional<String> version(Context ctx) {
        return ctx.pathParamMap().containsKey("version") ? Optional.of(ctx.pathParam("version")) : Optional.empty();
    }

    /**
     * Hands the request to Jetty asynchronously until the workers answer, then writes their
     * response, or TorchServe's error JSON.
     */
    static void when(Context ctx, CompletableFuture<Response> response) {
        ctx.future(() -> response.handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ServingException e) {
                    ApiServer.error(ctx, e.status(), e.type(), e.getMessage());
                } else {
                    ApiServer.error(ctx, 500, "InternalServerException", "Prediction failed");
                }
            } else {
                write(ctx, result);
            }
            return null;
        }));
    }

    private static void write(Context ctx, Response response) {
        if (response.json().isPresent()) {
            ctx.json(response.json().get());
        } else {
            ctx.contentType(response.contentType()).result(response.bytes().orElse(new byte[0]));
        }
    }
}
