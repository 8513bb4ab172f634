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
            LOG.info(line(ctx, status, executionTimeMs));
        }
    }

    /**
     * The line, written in one builder: a message pattern made SLF4J parse it and copy every
     * argument again, and {@code String.format} took a third of this method's time under load.
     */
    private String line(Context ctx, int status, Float executionTimeMs) {
        return new StringBuilder(160)
                .append(listener)
                .append(' ')
                .append(ctx.ip())
                .append(" \"")
                .append(ctx.method())
                .append(' ')
                .append(ctx.path())
                .append("\" ")
                .append(status)
                .append(' ')
                .append(Math.round(executionTimeMs * 10) / 10.0)
                .append(" ms model=")
                .append(ctx.pathParamMap().getOrDefault("model", "-"))
                .append(" id=")
                .append(RequestIds.of(ctx))
                .toString();
    }
}
