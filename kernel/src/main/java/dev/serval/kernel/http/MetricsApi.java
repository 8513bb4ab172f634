package dev.serval.kernel.http;

import dev.serval.kernel.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * TorchServe's metrics API: {@code GET /metrics} in Prometheus' text format, all metrics or those
 * named by {@code name[]} parameters.
 */
public final class MetricsApi implements Consumer<Javalin> {

    private final Metrics metrics;

    /** @param metrics the server's metrics */
    public MetricsApi(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) throws IOException {
        Set<String> names = new HashSet<>(ctx.queryParams("name[]"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        metrics.write(text, names);
        ctx.contentType(metrics.contentType()).result(text.toByteArray());
    }
}
