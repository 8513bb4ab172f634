package dev.serval.kernel.http;

import dev.serval.kernel.manage.ManagementCalls;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * TorchServe's management API: list, describe, register, scale, set-default and unregister, with
 * its paths, parameters, status codes and messages ({@link ManagementCalls}).
 */
public final class ManagementApi implements Consumer<Javalin> {

    private final ManagementCalls calls;

    /**
     * @param calls the management calls, with their rules
     */
    public ManagementApi(ManagementCalls calls) {
        this.calls = calls;
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
        ctx.json(calls.list(params.integer("limit", 100), params.integer("next_page_token", 0)));
    }

    private void describe(Context ctx, Optional<String> version) throws InterruptedException {
        ctx.json(calls.describe(ctx.pathParam("model"), version, new Parameters(ctx).bool("customized", false)));
    }

    private void register(Context ctx) throws InterruptedException {
        Parameters params = new Parameters(ctx);
        status(ctx, calls.register(params, params.bool("synchronous", true)));
    }

    private void scale(Context ctx, Optional<String> version) throws InterruptedException {
        Parameters params = new Parameters(ctx);
        status(ctx, calls.scale(ctx.pathParam("model"), version, params, params.bool("synchronous", false)));
    }

    private void setDefault(Context ctx) {
        status(ctx, calls.setDefault(ctx.pathParam("model"), ctx.pathParam("version")));
    }

    private void unregister(Context ctx, Optional<String> version) {
        status(ctx, calls.unregister(ctx.pathParam("model"), version));
    }

    private static void status(Context ctx, ManagementCalls.Answer answer) {
        ctx.status(answer.code()).json(Map.of("status", answer.message()));
    }
}
