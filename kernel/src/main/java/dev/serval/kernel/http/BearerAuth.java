package dev.serval.kernel.http;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * TorchServe's token authorization for one listener: every request carries
 * {@code Authorization: Bearer <key>} with the key of the API it calls, except the paths left open
 * (health probes, which orchestrators call without keys) and CORS preflights (browsers send them
 * without credentials). A listener serves one API, or both the inference and the management API
 * when they share an address; then each route takes its own API's key, told by the path's first
 * segment ({@code /predictions}, {@code /v1}, {@code /v2}, {@code /ping}: inference;
 * {@code /models}, {@code /token}, {@code /shell}: management), which the listener learns from
 * the routes each API adds ({@link #route}). A path of neither ({@code OPTIONS /}, which describes
 * both, and unknown paths) takes either key.
 */
final class BearerAuth implements Handler {

    private final List<KeyRule> rules;
    /** For a listener of more than one API: the rule of each first path segment. */
    private final Map<String, KeyRule> bySegment = new HashMap<>();
    /** Paths answered without a key whatever the API: the console's files. */
    private final Predicate<String> alsoOpen;

    /**
     * @param rules the key each API of the listener takes, with the paths answered without one
     */
    BearerAuth(List<KeyRule> rules) {
        this(rules, path -> false);
    }

    /**
     * @param rules the key each API of the listener takes, with the paths answered without one
     * @param alsoOpen more paths answered without a key (the console's static files)
     */
    BearerAuth(List<KeyRule> rules, Predicate<String> alsoOpen) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a key check needs a rule");
        }
        this.rules = List.copyOf(rules);
        this.alsoOpen = alsoOpen;
    }

    /**
     * Says which API a route belongs to; called while the routes are added, before the listener starts.
     *
     * @param path a route's path
     * @param rule the rule of the API that added it
     * @throws IllegalStateException when another API has routes under the same first segment
     */
    void route(String path, KeyRule rule) {
        String segment = firstSegment(path);
        KeyRule before = bySegment.putIfAbsent(segment, rule);
        if (before != null && before != rule) {
            throw new IllegalStateException("The " + before.kind() + " and " + rule.kind() + " APIs both have routes"
                    + " under /" + segment + ": they cannot share a listener");
        }
    }

    /** @return whether requests to the path pass without a key */
    boolean isOpen(String path) {
        return alsoOpen.test(path)
                || rule(path).map(rule -> rule.open().contains(path)).orElse(false);
    }

    /** @return the key the path takes; empty when any of the listener's keys will do */
    Optional<Keys.Kind> kind(String path) {
        return rule(path).map(KeyRule::kind);
    }

    /** @return whether the listener serves more than one API, each with its own key */
    boolean shared() {
        return rules.size() > 1;
    }

    @Override
    public void handle(Context ctx) {
        if (CorsPreflight.isPreflight(ctx) || alsoOpen.test(ctx.path())) {
            return;
        }
        String authorization = ctx.header(Header.AUTHORIZATION);
        Optional<KeyRule> rule = rule(ctx.path());
        boolean admitted = rule.isPresent()
                ? rule.get().admits(ctx.path(), authorization)
                : rules.stream().anyMatch(any -> any.admits(ctx.path(), authorization));
        if (!admitted) {
            throw refused(ctx);
        }
    }

    private Optional<KeyRule> rule(String path) {
        return rules.size() == 1 ? Optional.of(rules.get(0)) : Optional.ofNullable(bySegment.get(firstSegment(path)));
    }

    private static String firstSegment(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
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
}
