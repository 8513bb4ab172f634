package dev.serval.kernel.http;

import dev.serval.kernel.model.ModelRegistry;
import dev.serval.sdk.Request;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** TorchServe's inference API: {@code /ping} and {@code /predictions/{model}[/{version}]}. */
public final class InferenceApi implements Consumer<Javalin> {

    /** The health probe, answered without a key: orchestrators call it without one. */
    public static final Set<String> OPEN_PATHS = Set.of("/ping");

    private final ModelRegistry registry;
    private final Answers answers;

    /**
     * @param registry the models to serve
     * @param maxResponseSize the largest answer sent, in bytes
     */
    public InferenceApi(ModelRegistry registry, long maxResponseSize) {
        this.registry = registry;
        this.answers = new Answers(maxResponseSize);
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
        answers.when(ctx, registry.resolve(ctx.pathParam("model"), Answers.version(ctx)).submit(toRequest(ctx)));
    }

    private static Request toRequest(Context ctx) {
        Request.Builder builder = ctx.isMultipartFormData() ? FormInput.of(ctx)
                : Request.builder(ctx.bodyAsBytes()).contentType(ctx.contentType());
        ctx.headerMap().forEach((name, value) -> builder.header(name, List.of(value)));
        ctx.queryParamMap().forEach(builder::queryParameter);
        return builder.build();
    }
}
