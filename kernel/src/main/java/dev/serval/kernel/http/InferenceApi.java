package dev.serval.kernel.http;

import dev.serval.kernel.model.ModelRegistry;
import dev.serval.kernel.model.ServingException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** TorchServe's inference API: {@code /ping} and {@code /predictions/{model}[/{version}]}. */
public final class InferenceApi implements Consumer<Javalin> {

    /** The health probe, answered without a key: orchestrators call it without one. */
    public static final Set<String> OPEN_PATHS = Set.of("/ping");

    private final ModelRegistry registry;

    /** @param registry the models to serve */
    public InferenceApi(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/ping", ctx -> ctx.json(Map.of("status", "Healthy")));
        Handler predict = this::predict;
        // TorchServe takes PUT as well: `curl -T image.jpg` sends one.
        for (String path : List.of("/predictions/{model}", "/predictions/{model}/{version}")) {
            app.post(path, predict);
            app.put(path, predict);
        }
    }

    private void predict(Context ctx) {
        Optional<String> version = ctx.pathParamMap().containsKey("version")
                ? Optional.of(ctx.pathParam("version")) : Optional.empty();
        CompletableFuture<Response> response = registry.resolve(ctx.pathParam("model"), version).submit(toRequest(ctx));
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

    private static Request toRequest(Context ctx) {
        Request.Builder builder = ctx.isMultipartFormData() ? FormInput.of(ctx)
                : Request.builder(ctx.bodyAsBytes()).contentType(ctx.contentType());
        ctx.headerMap().forEach((name, value) -> builder.header(name, List.of(value)));
        ctx.queryParamMap().forEach(builder::queryParameter);
        return builder.build();
    }

    private static void write(Context ctx, Response response) {
        if (response.json().isPresent()) {
            ctx.json(response.json().get());
        } else {
            ctx.contentType(response.contentType()).result(response.bytes().orElse(new byte[0]));
        }
    }
}
