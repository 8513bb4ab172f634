package dev.serval.kernel.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;

/**
 * Lets the web console, a page of the management listener, call the inference listener ("try it"):
 * a request whose {@code Origin} is the management listener's own (its scheme, port and one of its
 * {@link OwnHosts names}) is answered with CORS headers naming that origin, and its preflight is
 * answered here. Other origins are left as they were ({@code cors_allowed_origin}, off by default).
 * The console's calls still carry the inference key: CORS only lets the page read the answers.
 */
final class ConsoleCors implements Handler {

    private final OwnHosts hosts;
    private final boolean https;
    private final int port;

    /**
     * @param hosts the management listener's names
     * @param https whether the management listener speaks TLS
     * @param port the management listener's port
     */
    ConsoleCors(OwnHosts hosts, boolean https, int port) {
        this.hosts = hosts;
        this.https = https;
        this.port = port;
    }

    @Override
    public void handle(Context ctx) {
        String origin = ctx.header(Header.ORIGIN);
        // An origin cors_allowed_origin already answered for keeps that answer.
        if (origin == null
                || ctx.res().getHeader(Header.ACCESS_CONTROL_ALLOW_ORIGIN) != null
                || !hosts.isOwnOrigin(origin, https, port)) {
            return;
        }
        ctx.header(Header.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        ctx.header(Header.VARY, Header.ORIGIN);
        ctx.header(Header.ACCESS_CONTROL_EXPOSE_HEADERS, "x-request-id");
        if (CorsPreflight.isPreflight(ctx)) {
            ctx.header(Header.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, OPTIONS");
            ctx.header(Header.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
            ctx.header(Header.ACCESS_CONTROL_MAX_AGE, "600");
            ctx.status(204).skipRemainingHandlers();
        }
    }
}
