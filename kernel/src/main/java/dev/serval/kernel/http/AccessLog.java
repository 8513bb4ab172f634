package dev.serval.kernel.http;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per answered request, as TorchServe's access log has it, under the logger
 * {@code dev.serval.access} so that it can be routed or silenced on its own; also counts the
 * answer's status for the metrics.
 */
final class AccessLog implements RequestLogger {

    private static final Logger LOG = LoggerFactory.getLogger("dev.serval.access");

    private final String listener;
    private final IntConsumer statuses;

    /**
     * @param listener the listener's name
     * @param statuses told every answer's status
     */
    AccessLog(String listener, IntConsumer statuses) {
        this.listener = listener;
        this.statuses = statuses;
    }

    @Override
    public void handle(Context ctx, Float executionTimeMs) {
        int status = ctx.statusCode();
        statuses.accept(status);
        if (LOG.isInfoEnabled()) {
            String model = ctx.pathParamMap().getOrDefault("model", "-");
            // Rounded by hand: String.format took a third of this method's time under load.
            LOG.info("{} {} \"{} {}\" {} {} ms model={} id={}", listener, ctx.ip(), ctx.method(), ctx.path(), status,
                    Math.round(executionTimeMs * 10) / 10.0, model, RequestIds.of(ctx));
        }
    }
}
