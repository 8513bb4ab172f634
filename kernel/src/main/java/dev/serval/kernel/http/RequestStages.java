package dev.serval.kernel.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.servlet.DefaultTasks;
import java.util.ArrayList;
import java.util.List;

/**
 * Javalin's request lifecycle without its two stages for handlers that run only when a route
 * matched ({@code beforeMatched}, {@code afterMatched}). Serval adds none, and the two stages cost
 * every request four route look-ups and five lazy values whatever they found: 1.2 KB of a 22 KB
 * request (async-profiler, digits PNG, 2026-12-03). A listener that has such a handler after all is
 * refused at start rather than served without it.
 */
final class RequestStages {

    private RequestStages() {}

    /** @param config a listener's configuration, given Javalin's stages without the matched-only ones */
    static void configure(JavalinConfig config) {
        DefaultTasks tasks = DefaultTasks.INSTANCE;
        config.pvt.servletRequestLifecycle =
                new ArrayList<>(List.of(tasks.getBEFORE(), tasks.getHTTP(), tasks.getERROR(), tasks.getAFTER()));
    }

    /**
     * @param app a listener with its routes added
     * @throws IllegalStateException when it has a handler of a stage {@link #configure} left out
     */
    static void check(Javalin app) {
        OpenApi.endpoints(app).stream()
                .filter(endpoint -> endpoint.getMethod() == HandlerType.BEFORE_MATCHED
                        || endpoint.getMethod() == HandlerType.AFTER_MATCHED)
                .findFirst()
                .ifPresent(endpoint -> {
                    throw new IllegalStateException(endpoint.getMethod() + " " + endpoint.getPath()
                            + ": the listener's lifecycle has no stage for it (RequestStages)");
                });
    }
}
