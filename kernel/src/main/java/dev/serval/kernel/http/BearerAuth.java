package dev.serval.kernel.http;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import java.util.function.Predicate;

/**
 * TorchServe's token authorization for one listener: every request carries
 * {@code Authorization: Bearer <key>} with the listener's key, except the paths left open (health
 * probes, which orchestrators call without keys) and CORS preflights (browsers send them without
 * credentials).
 */
final class BearerAuth implements Handler {

    private final KeyRule rule;
    private final Predicate<String> alsoOpen;

    /**
     * @param rule the key this listener takes, and the paths answered without one
     */
    BearerAuth(KeyRule rule) {
        this(rule, path -> false);
    }

    private BearerAuth(KeyRule rule, Predicate<String> alsoOpen) {
        this.rule = rule;
        this.alsoOpen = alsoOpen;
    }

    /**
     * @param paths more paths answered without a key (the console's static files)
     * @return this check, leaving those open as well
     */
    BearerAuth leavingOpen(Predicate<String> paths) {
        return new BearerAuth(rule, alsoOpen.or(paths));
    }

    /** @return whether requests to the path pass without this listener's key */
    boolean isOpen(String path) {
        return rule.open().contains(path) || alsoOpen.test(path);
    }

    @Override
    public void handle(Context ctx) {
        if (!isPreflight(ctx) && !isOpen(ctx.path()) && !rule.admits(ctx.path(), ctx.header(Header.AUTHORIZATION))) {
            throw refused(ctx);
        }
    }

    /**
     * @throws ServingException 401 unless the request carries the current key of that kind
     */
    static void require(Context ctx, Keys keys, Keys.Kind kind) {
        if (!keys.acceptsBearer(kind, ctx.header(Header.AUTHORIZATION))) {
            throw refused(ctx);
        }
    }

    private static ServingException refused(Context ctx) {
        ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
        // TorchServe's type and message; TorchServe answers 400, HTTP says 401.
        return new ServingException(401, "InvalidKeyException", Keys.REFUSED);
    }

    private static boolean isPreflight(Context ctx) {
        return ctx.method() == HandlerType.OPTIONS && ctx.header(Header.ACCESS_CONTROL_REQUEST_METHOD) != null;
    }
}
