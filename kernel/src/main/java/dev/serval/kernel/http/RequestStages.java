package dev.serval.kernel.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.DefaultTasks;
import io.javalin.http.servlet.JavalinServlet;
import io.javalin.http.servlet.JavalinServletContext;
import io.javalin.http.servlet.SubmitOrder;
import io.javalin.http.servlet.Task;
import io.javalin.http.servlet.TaskInitializer;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import kotlin.Unit;
import kotlin.jvm.functions.Function2;

/**
 * Javalin's request lifecycle (before-handlers, the route, error handlers, after-handlers) over a
 * listener's routes as lists taken once they are all added ({@link #seal}), without the two stages
 * for handlers that run only when a route matched ({@code beforeMatched}, {@code afterMatched}) and
 * without route roles. Javalin's own stages look the routes up in a stream for each stage and match
 * the route's pattern twice (the second time for its roles): 1.3 KB of a 16.6 KB request; its
 * matched-only stages compute five lazy values whatever they find: 1.2 KB more (the server's
 * allocation counter and async-profiler, digits PNG, 32 clients, 2026-12-03 and -04). Serval has
 * no matched-only handler and no roles: a listener that has either
 * is refused at start rather than served without it. A request no route takes (404, 405, a HEAD
 * answered by a GET route, the console's files) goes through Javalin's own route stage.
 */
final class RequestStages {

    /** Set by {@link #seal}, before the listener starts, and only read after. */
    private volatile Routes routes;

    /** @param config a listener's configuration, given these stages in place of Javalin's */
    void configure(JavalinConfig config) {
        config.pvt.servletRequestLifecycle = new ArrayList<>(List.of(
                handlers(HandlerType.BEFORE, true),
                this::route,
                DefaultTasks.INSTANCE.getERROR(),
                handlers(HandlerType.AFTER, false)));
    }

    /**
     * Takes the listener's routes: call it once they are all added, before the listener starts.
     *
     * @param app a listener with its routes added
     * @throws IllegalStateException when it has a handler of a stage left out, or a route with roles
     */
    void seal(Javalin app) {
        List<ParsedEndpoint> all = app.unsafeConfig().pvt.internalRouter.allHttpHandlers();
        for (ParsedEndpoint parsed : all) {
            Endpoint endpoint = parsed.getEndpoint();
            if (endpoint.getMethod() == HandlerType.BEFORE_MATCHED
                    || endpoint.getMethod() == HandlerType.AFTER_MATCHED) {
                throw new IllegalStateException(endpoint.getMethod() + " " + endpoint.getPath()
                        + ": the listener's lifecycle has no stage for it (RequestStages)");
            }
            Roles roles = endpoint.metadata(Roles.class);
            if (roles != null && !roles.getRoles().isEmpty()) {
                throw new IllegalStateException(endpoint.getMethod() + " " + endpoint.getPath()
                        + ": the listener's lifecycle sets no route roles (RequestStages)");
            }
        }
        routes = new Routes(all);
    }

    private void route(
            Function2<? super SubmitOrder, ? super Task, Unit> submit,
            JavalinServlet servlet,
            JavalinServletContext ctx,
            String path) {
        for (ParsedEndpoint route : routes().of(ctx.method())) {
            if (matches(route, path)) {
                submit.invoke(SubmitOrder.LAST, task(true, route, ctx, path));
                return;
            }
        }
        DefaultTasks.INSTANCE.getHTTP().createTasks(submit, servlet, ctx, path);
    }

    /**
     * @param type before- or after-handlers
     * @param skipAfterException whether an exception thrown before they run skips them
     * @return the stage that runs those of its handlers whose path matches, in their order
     */
    private TaskInitializer<JavalinServletContext> handlers(HandlerType type, boolean skipAfterException) {
        return (submit, servlet, ctx, path) -> {
            for (ParsedEndpoint handler : routes().of(type)) {
                if (matches(handler, path)) {
                    submit.invoke(SubmitOrder.LAST, task(skipAfterException, handler, ctx, path));
                }
            }
        };
    }

    private Routes routes() {
        Routes sealed = routes;
        if (sealed == null) {
            throw new IllegalStateException("A request came before the listener's routes were sealed");
        }
        return sealed;
    }

    /** As Javalin's path matcher has it: {@code *} takes any path, and a plain path only itself. */
    private static boolean matches(ParsedEndpoint entry, String path) {
        String pattern = entry.getEndpoint().getPath();
        return pattern.equals("*") || pattern.equals(path) || entry.matches(path);
    }

    /** @param skipAfterException whether an exception thrown before it skips it */
    private static Task task(boolean skipAfterException, ParsedEndpoint entry, JavalinServletContext ctx, String path) {
        return new Task(skipAfterException, () -> {
            entry.handle(ctx, path);
            return Unit.INSTANCE;
        });
    }

    /** A listener's handlers by stage or method, each list in the order they were added. */
    private static final class Routes {

        /** Arrays: a loop over one allocates nothing, on every request. */
        private final Map<HandlerType, ParsedEndpoint[]> byType = new EnumMap<>(HandlerType.class);

        Routes(List<ParsedEndpoint> all) {
            for (HandlerType type : HandlerType.values()) {
                byType.put(
                        type,
                        all.stream()
                                .filter(parsed -> parsed.getEndpoint().getMethod() == type)
                                .toArray(ParsedEndpoint[]::new));
            }
        }

        ParsedEndpoint[] of(HandlerType type) {
            return byType.get(type);
        }
    }
}
