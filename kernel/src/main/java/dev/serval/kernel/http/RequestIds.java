package dev.serval.kernel.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.UUID;

/**
 * Gives every request an id, answered in the {@code x-request-id} header as TorchServe does and
 * written to the access log, so that a client's report can be found in the server's log.
 */
final class RequestIds implements Handler {

    static final String HEADER = "x-request-id";
    private static final String ATTRIBUTE = "serval.requestId";

    @Override
    public void handle(Context ctx) {
        String id = UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** @return the request's id, or {@code -} for one refused before it got one */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "-";
    }
}
