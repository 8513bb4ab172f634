package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.log.ServerLog;
import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.kernel.metrics.Metrics;
import dev.serval.serving.ServerVersion;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the web console asks of the management listener besides TorchServe's calls, with the
 * management key: {@code GET /server}, what this server allows and where its inference listener
 * is, and {@code GET /server/metrics}, Serval's per-model serving metrics in Prometheus' text
 * format (the metrics listener's, which the console, a page of another origin, cannot read), and
 * {@code GET /server/log?lines=}, the server's last log lines.
 */
final class ConsoleApi implements Consumer<Javalin> {

    /** The metrics the console charts: requests, latency, queue depth and workers per model version. */
    static final Set<String> METRICS = Set.of(
            "serval_requests_total",
            "serval_inference_duration_seconds",
            "serval_queue_depth",
            "serval_workers_ready",
            "serval_workers_wanted");

    private final Address inference;
    private final boolean tokenAuthorization;
    private final boolean modelApiEnabled;
    private final ModelStore store;
    private final Metrics metrics;
    private final ServerLog log;

    /**
     * @param inference the inference listener's address, with the port it listens on
     * @param tokenAuthorization whether requests need keys
     * @param modelApiEnabled whether models may be registered and unregistered
     * @param store the model store, whose archives may be registered
     * @param metrics the server's metrics
     * @param log the server's last log lines
     */
    ConsoleApi(
            Address inference,
            boolean tokenAuthorization,
            boolean modelApiEnabled,
            ModelStore store,
            Metrics metrics,
            ServerLog log) {
        this.inference = inference;
        this.tokenAuthorization = tokenAuthorization;
        this.modelApiEnabled = modelApiEnabled;
        this.store = store;
        this.metrics = metrics;
        this.log = log;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/server", this::settings);
        app.get("/server/metrics", this::metrics);
        app.get("/server/log", this::log);
    }

    private void settings(Context ctx) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("version", ServerVersion.CURRENT);
        answer.put("tokenAuthorization", tokenAuthorization);
        Map<String, Object> listener = new LinkedHashMap<>();
        listener.put("scheme", inference.https() ? "https" : "http");
        // On every interface, the console reaches it by the name it was opened with.
        listener.put("host", inference.reachableHost().equals(inference.host()) ? inference.host() : null);
        listener.put("port", inference.port());
        answer.put("inference", listener);
        answer.put("modelApi", modelApiEnabled);
        if (modelApiEnabled) {
            answer.put("modelStore", archives());
        } else {
            answer.put("modelApiDisabled", ManagementCalls.MODEL_API_DISABLED);
        }
        ctx.json(answer);
    }

    private List<String> archives() throws IOException {
        return store.all().stream().map(Path::getFileName).map(Path::toString).toList();
    }

    private void log(Context ctx) {
        int count = new Parameters(ctx).integer("lines", 100);
        if (count < 1 || count > ServerLog.KEPT) {
            throw new ServingException(
                    400, "BadRequestException", "Parameter lines must be 1 to " + ServerLog.KEPT + ", not " + count);
        }
        ctx.json(Map.of("captured", log.captured(), "lines", log.last(count)));
    }

    private void metrics(Context ctx) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        metrics.write(text, METRICS);
        ctx.contentType(metrics.contentType()).result(text.toByteArray());
    }
}
