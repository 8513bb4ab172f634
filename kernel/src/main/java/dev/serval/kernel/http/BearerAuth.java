package dev.serval.kernel.http;

import dev.serval.kernel.auth.Keys;
import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import java.util.Set;

/**
 * TorchServe's token authorization for one listener: every request carries
 * {@code Authorization: Bearer <key>} with the listener's key, except the paths left open (health
 * probes, which orchestrators call without keys) and CORS preflights (browsers send them without
 * credentials).
 */
final class BearerAuth implements Handler {

    private final Keys keys;
    private final Keys.Kind kind;
    private final Set<String> openPaths;

    /**
     * @param keys the server's keys
     * @param kind the key this listener takes
     * @param openPaths paths answered without a key
     */
    BearerAuth(Keys keys, Keys.Kind kind, Set<String> openPaths) {
        this.keys = keys;
        this.kind = kind;
        this.openPaths = Set.copyOf(openPaths);
    }

    @Override
    public void handle(Context ctx) {
        if (openPaths.contains(ctx.path()) || isPreflight(ctx)) {
            return;
        }
        require(ctx, keys, kind);
    }

    /**
     * @throws ServingException 401 unless the request carries the current key of that kind
     */
    static void require(Context ctx, Keys keys, Keys.Kind kind) {
        if (!keys.acceptsBearer(kind, ctx.header(Header.AUTHORIZATION))) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
            // TorchServe's type and message; TorchServe answers 400, HTTP says 401.
            throw new ServingException(401, "InvalidKeyException", Keys.REFUSED);
        }
    }

    private static boolean isPreflight(Context ctx) {
        return ctx.method() == HandlerType.OPTIONS && ctx.header(Header.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }
}
