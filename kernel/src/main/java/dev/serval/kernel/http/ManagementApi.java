package dev.serval.kernel.http;

import dev.serval.kernel.catalog.Source;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * TorchServe's management API: list, describe, register, scale, set-default and unregister, with
 * its paths, parameters, status codes and messages.
 */
public final class ManagementApi implements Consumer<Javalin> {

    /** Why register and unregister are refused, over HTTP and in the remote shell alike. */
    static final String MODEL_API_DISABLED =
            "Model API is disabled: start with --enable-model-api or set enable_model_api=true";

    private final ModelManager manager;
    private final boolean modelApiEnabled;

    /**
     * @param manager the models to manage
     * @param modelApiEnabled whether register and unregister are allowed
     */
    public ManagementApi(ModelManager manager, boolean modelApiEnabled) {
        this.manager = manager;
        this.modelApiEnabled = modelApiEnabled;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/models", this::list);
        app.post("/models", this::register);
        app.get("/models/{model}", ctx -> describe(ctx, Optional.empty()));
        app.get("/models/{model}/{version}", ctx -> describe(ctx, Optional.of(ctx.pathParam("version"))));
        app.put("/models/{model}", ctx -> scale(ctx, Optional.empty()));
        app.put("/models/{model}/{version}", ctx -> scale(ctx, Optional.of(ctx.pathParam("version"))));
        app.put("/models/{model}/{version}/set-default", this::setDefault);
        app.delete("/models/{model}", ctx -> unregister(ctx, Optional.empty()));
        app.delete("/models/{model}/{version}", ctx -> unregister(ctx, Optional.of(ctx.pathParam("version"))));
    }

    private void list(Context ctx) {
        Parameters params = new Parameters(ctx);
        ModelManager.Page page = manager.list(params.integer("limit", 100), params.integer("next_page_token", 0));
        Map<String, Object> body = new LinkedHashMap<>();
        page.nextPageToken().ifPresent(token -> body.put("nextPageToken", token));
        body.put("models", page.models().stream().map(v -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("modelName", v.name());
            entry.put("modelUrl", v.archive().source().getFileName().toString());
            return entry;
        }).toList());
        ctx.json(body);
    }

    private void describe(Context ctx, Optional<String> version) throws InterruptedException {
        boolean customized = new Parameters(ctx).bool("customized", false);
        List<Map<String, Object>> descriptions = new ArrayList<>();
        for (ModelVersion v : manager.describe(ctx.pathParam("model"), version)) {
            Map<String, Object> description = manager.description(v);
            if (customized) {
                description.put("customizedMetadata", handlerDescription(v));
            }
            descriptions.add(description);
        }
        ctx.json(descriptions);
    }

    /** @return what one worker's handler says of itself (TorchServe's {@code describe_handle}) */
    private static Object handlerDescription(ModelVersion version) throws InterruptedException {
        try {
            return version.describeHandler().get().json().orElseThrow();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ServingException refused ? refused
                    : new ServingException(500, "InternalServerException", String.valueOf(e.getCause()));
        }
    }

    private void register(Context ctx) throws InterruptedException {
        requireModelApi();
        Parameters params = new Parameters(ctx);
        String runtime = params.text("runtime").orElse("python");
        if (!runtime.equalsIgnoreCase("python") && !runtime.equalsIgnoreCase("python3")) {
            throw new ServingException(400, "BadRequestException", "Invalid RuntimeType value: " + runtime);
        }
        Map<String, Object> settings = new HashMap<>();
        params.optionalInteger("batch_size").ifPresent(v -> settings.put("batchSize", v));
        params.optionalInteger("max_batch_delay").ifPresent(v -> settings.put("maxBatchDelay", v));
        params.optionalInteger("response_timeout").ifPresent(v -> settings.put("responseTimeout", v));
        params.optionalInteger("startup_timeout").ifPresent(v -> settings.put("startupTimeout", v));
        params.optionalInteger("initial_workers").ifPresent(v -> {
            settings.put("minWorkers", v);
            settings.put("maxWorkers", v);
        });
        LoadOptions options = new LoadOptions(params.text("model_name"), params.text("handler"), settings);
        ModelVersion version = manager.register(params.text("url").orElse(null), options, Source.Kind.REGISTER_CALL);
        int workers = version.settings().minWorkers();
        String registered = "Model \"" + version.name() + "\" Version: " + version.version() + " registered with ";
        if (workers == 0) {
            status(ctx, 200, registered + "0 initial workers. Use scale workers API to add workers for the model.");
        } else if (!params.bool("synchronous", true)) {
            status(ctx, 202, "Processing worker updates...");
        } else {
            manager.awaitRegistered(version);
            status(ctx, 200, registered + workers + " initial workers");
        }
    }

    private void scale(Context ctx, Optional<String> version) throws InterruptedException {
        Parameters params = new Parameters(ctx);
        int min = params.integer("min_worker", 1);
        int max = params.integer("max_worker", min);
        ModelVersion scaled = manager.scale(ctx.pathParam("model"), version, min, max);
        if (!params.bool("synchronous", false)) {
            status(ctx, 202, "Processing worker updates...");
            return;
        }
        Optional<String> notStarted = scaled.awaitStartup();
        if (notStarted.isPresent()) {
            throw ModelManager.failedToStart(scaled, notStarted.get());
        }
        status(ctx, 200, "Workers scaled to " + min + " for model: " + scaled.name()
                + version.map(v -> ", version: " + v).orElse(""));
    }

    private void setDefault(Context ctx) {
        String name = ctx.pathParam("model");
        String version = ctx.pathParam("version");
        manager.setDefault(name, version);
        status(ctx, 200, "Default version successfully updated for model \"" + name + "\" to \"" + version + "\"");
    }

    private void unregister(Context ctx, Optional<String> version) {
        requireModelApi();
        ModelVersion removed = manager.unregister(ctx.pathParam("model"), version);
        status(ctx, 200, "Model \"" + removed.name() + "\" unregistered");
    }

    private void requireModelApi() {
        if (!modelApiEnabled) {
            throw new ServingException(405, "MethodNotAllowedException", MODEL_API_DISABLED);
        }
    }

    private static void status(Context ctx, int code, String message) {
        ctx.status(code).json(Map.of("status", message));
    }
}
