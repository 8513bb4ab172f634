package dev.serval.kernel.http;

import dev.serval.kernel.model.ModelRegistry;
import dev.serval.kernel.model.ModelVersion;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** TorchServe's management API: {@code GET /models} and {@code GET /models/{model}[/{version}|/all]}. */
public final class ManagementApi implements Consumer<Javalin> {

    private final ModelRegistry registry;

    /** @param registry the models to report */
    public ManagementApi(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/models", this::list);
        app.get("/models/{model}", ctx -> describe(ctx, Optional.empty()));
        app.get("/models/{model}/{version}", ctx -> describe(ctx, Optional.of(ctx.pathParam("version"))));
    }

    private void list(Context ctx) {
        List<Map<String, Object>> models = registry.defaults().stream().map(v -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("modelName", v.name());
            entry.put("modelUrl", v.archive().source().getFileName().toString());
            return entry;
        }).toList();
        ctx.json(Map.of("models", models));
    }

    private void describe(Context ctx, Optional<String> version) {
        String name = ctx.pathParam("model");
        List<ModelVersion> versions = version.filter("all"::equals).isPresent()
                ? registry.versions(name)
                : List.of(registry.resolve(name, version));
        ctx.json(versions.stream().map(ManagementApi::describe).toList());
    }

    private static Map<String, Object> describe(ModelVersion v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("modelName", v.name());
        d.put("modelVersion", v.version());
        d.put("modelUrl", v.archive().source().getFileName().toString());
        d.put("runtime", v.archive().manifest().runtime().orElse("python"));
        d.put("engine", v.engine());
        d.put("handler", v.handlerName());
        d.put("minWorkers", v.settings().workers());
        d.put("maxWorkers", v.settings().workers());
        d.put("batchSize", v.settings().batchSize());
        d.put("maxBatchDelay", v.settings().maxBatchDelayMs());
        d.put("responseTimeout", v.settings().responseTimeoutMs() / 1000);
        d.put("status", v.status().name());
        d.put("loadedAt", v.loadedAt().toString());
        d.put("workers", java.util.stream.IntStream.rangeClosed(1, v.readyWorkers())
                .mapToObj(i -> Map.of("id", String.valueOf(i), "status", "READY")).toList());
        d.put("jobQueueStatus", Map.of("pendingRequests", v.pendingJobs()));
        // Not in TorchServe's answer: shows whether requests are being batched.
        d.put("served", Map.of("batches", v.servedBatches(), "requests", v.servedRequests()));
        return d;
    }
}
