package dev.serval.kernel.http;

import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;

/**
 * Refuses a WebSocket upgrade from another site's page (cross-site WebSocket hijacking): browsers
 * send every upgrade with the page's {@code Origin} and, unlike {@code fetch}, no CORS check, so a
 * page the operator opens could otherwise drive the listener's WebSockets with the operator's
 * network position. An upgrade without {@code Origin} does not come from a browser
 * ({@code bin/serval shell} sends none); one whose origin is the listener's own scheme, name and
 * port is let through. {@code cors_allowed_origin} does not widen it: CORS lets pages read answers
 * to requests that carry a key, while the shell runs commands.
 */
final class OriginCheck implements Handler {

    private final OwnHosts hosts;
    private final boolean https;

    /**
     * @param hosts the listener's names
     * @param https whether the listener speaks TLS
     */
    OriginCheck(OwnHosts hosts, boolean https) {
        this.hosts = hosts;
        this.https = https;
    }

    @Override
    public void handle(Context ctx) {
        String origin = ctx.header(Header.ORIGIN);
        if (origin != null && !hosts.isOwnOrigin(origin, https, ctx.req().getLocalPort())) {
            throw new ServingException(
                    403, "ForbiddenException", "WebSocket upgrades from another origin are refused: " + origin);
        }
    }
}
