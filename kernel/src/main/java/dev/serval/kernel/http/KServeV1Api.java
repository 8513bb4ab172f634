package dev.serval.kernel.http;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.kserve.V1Predict;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * KServe's v1 protocol, on the inference listener, as TorchServe's frontend answers it for
 * KServe: the models served, each model's readiness, and {@code :predict} ({@link V1Predict}),
 * so that KServe's v1 clients and transformers call Serval without TorchServe's Python
 * {@code kserve_wrapper} and envelope. A model is its default version, as {@code /predictions}
 * answers with it.
 */
final class KServeV1Api implements Consumer<Javalin> {

    private final Catalog registry;
    private final Answers answers;

    /**
     * @param registry the models served
     * @param answers reads bodies and sends answers
     */
    KServeV1Api(Catalog registry, Answers answers) {
        this.registry = registry;
        this.answers = answers;
    }

    @Override
    public void accept(Javalin app) {
        app.get(
                "/v1/models",
                ctx -> ctx.json(Map.of(
                        "models",
                        registry.defaults().stream().map(ModelVersion::name).toList())));
        app.get("/v1/models/{model}", this::ready);
        // Javalin takes a parameter and text in one segment: {model}:predict.
        app.post("/v1/models/{model}:predict", this::predict);
        app.post("/v1/models/{model}:explain", this::explain);
    }

    /** KServe's model readiness: 200 when ready, 503 when not, as KServe's model server answers. */
    private void ready(Context ctx) {
        ModelVersion version = registry.resolve(ctx.pathParam("model"), Optional.empty());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", version.name());
        body.put("ready", version.ready());
        ctx.status(version.ready() ? 200 : 503).json(body);
    }

    private void predict(Context ctx) {
        String model = ctx.pathParam("model");
        // The model first: an unknown one is a 404 whatever the body.
        registry.resolve(model, Optional.empty());
        answers.when(
                ctx,
                body -> registry.submit(
                        model,
                        Optional.empty(),
                        version -> V1Predict.parse(
                                        body,
                                        ctx.queryParamMap(),
                                        version.settings().jobQueueSize())
                                .run(version)));
    }

    /** TorchServe's explanations are Captum's, in its Python handlers; Serval's handlers have none. */
    private void explain(Context ctx) {
        registry.resolve(ctx.pathParam("model"), Optional.empty());
        throw new ServingException(
                501,
                "NotImplementedException",
                "Serval's handlers give no explanations " + "(TorchServe's come from Captum, in Python): use :predict");
    }
}
