package dev.serval.kernel.http;

import dev.serval.kernel.config.CorsSettings;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;

/**
 * Answers a CORS preflight with {@code cors_allowed_methods} and {@code cors_allowed_headers}, as
 * TorchServe does, where Javalin's CORS plugin (which checks the origin) would echo whatever the
 * browser asks for. Runs after the plugin, and only where it allowed the origin.
 */
final class CorsPreflight implements Handler {

    private final CorsSettings cors;

    CorsPreflight(CorsSettings cors) {
        this.cors = cors;
    }

    /**
     * @param ctx a request
     * @return whether it is a CORS preflight: an {@code OPTIONS} naming the method to come
     */
    static boolean isPreflight(Context ctx) {
        return ctx.method() == HandlerType.OPTIONS && ctx.header(Header.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }

    @Override
    public void handle(Context ctx) {
        if (!isPreflight(ctx) || ctx.res().getHeader(Header.ACCESS_CONTROL_ALLOW_ORIGIN) == null) {
            return;
        }
        cors.methods().ifPresent(methods -> ctx.header(Header.ACCESS_CONTROL_ALLOW_METHODS, methods));
        cors.headers().ifPresent(headers -> ctx.header(Header.ACCESS_CONTROL_ALLOW_HEADERS, headers));
    }
}
