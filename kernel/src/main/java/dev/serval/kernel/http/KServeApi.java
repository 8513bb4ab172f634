package dev.serval.kernel.http;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.kserve.Inference;
import dev.serval.kernel.kserve.ModelMetadata;
import dev.serval.kernel.kserve.RestAnswer;
import dev.serval.kernel.kserve.RestRequest;
import dev.serval.kernel.manage.Health;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServerVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * KServe's Open Inference Protocol (v2) over REST, on the inference listener: server and model
 * health, model metadata, and inference on JSON or binary tensors ({@link Inference}), so that
 * Serval serves as a KServe custom predictor. Health answers 200 for true and 400 for false, as
 * the protocol has it.
 */
public final class KServeApi implements Consumer<Javalin> {

    static final String PREFIX = "/v2";

    /** The health probes, answered without a key: orchestrators call them without one. */
    public static final Set<String> OPEN_PATHS = Set.of("/v2/health/live", "/v2/health/ready");

    /** The protocol's extensions served, by the names Triton's server metadata lists them. */
    private static final List<String> EXTENSIONS = List.of("binary_tensor_data");

    private final Catalog registry;
    private final Supplier<Health> health;
    private final Answers answers;

    /**
     * @param registry the models served
     * @param health the start-up models' readiness, now: the server's readiness, as {@code /ping}'s
     * @param answers reads bodies and sends answers
     */
    KServeApi(Catalog registry, Supplier<Health> health, Answers answers) {
        this.registry = registry;
        this.health = health;
        this.answers = answers;
    }

    @Override
    public void accept(Javalin app) {
        app.get(
                "/v2",
                ctx -> ctx.json(Map.of("name", "serval", "version", ServerVersion.CURRENT, "extensions", EXTENSIONS)));
        app.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
        app.get("/v2/health/ready", this::serverReady);
        for (String model : List.of("/v2/models/{model}", "/v2/models/{model}/versions/{version}")) {
            app.get(model, this::metadata);
            app.get(model + "/ready", this::modelReady);
            app.post(model + "/infer", this::infer);
        }
    }

    /** Ready when {@code /ping} is healthy: every start-up model has its minimum workers READY. */
    private void serverReady(Context ctx) {
        boolean ready = health.get().healthy();
        ctx.status(ready ? 200 : 400).json(Map.of("ready", ready));
    }

    private void modelReady(Context ctx) {
        ModelVersion version = resolve(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", version.name());
        body.put("ready", version.ready());
        ctx.status(version.ready() ? 200 : 400).json(body);
    }

    private void metadata(Context ctx) {
        ModelVersion version = resolve(ctx);
        ctx.json(ModelMetadata.of(version, registry.versions(version.name())));
    }

    private void infer(Context ctx) {
        // The body first: one over max_request_size is refused whether or not the model exists.
        answers.when(ctx, body -> {
            RestRequest request = RestRequest.parse(body, Optional.ofNullable(ctx.header(RestRequest.HEADER_LENGTH)));
            return registry.submit(
                    ctx.pathParam("model"),
                    Answers.version(ctx),
                    version -> Inference.run(
                            request.request(),
                            version,
                            answer -> {
                                RestAnswer rest = RestAnswer.of(answer, request, ApiServer.JSON);
                                // Set before the answer is handed on to be sent; an error instead removes it.
                                rest.headerLength()
                                        .ifPresent(length ->
                                                ctx.header(RestRequest.HEADER_LENGTH, String.valueOf(length)));
                                return rest.response();
                            },
                            ApiServer.JSON));
        });
    }

    private ModelVersion resolve(Context ctx) {
        return registry.resolve(ctx.pathParam("model"), Answers.version(ctx));
    }
}
