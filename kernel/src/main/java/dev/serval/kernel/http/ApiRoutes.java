package dev.serval.kernel.http;

import dev.serval.kernel.auth.KeyRule;
import io.javalin.Javalin;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One API a listener serves: its routes and the key they take. A listener serves one, or the
 * inference and management APIs together when their addresses are one.
 *
 * @param routes adds the API's endpoints
 * @param keys the key its routes take, with the paths answered without one; empty when requests need no key
 */
record ApiRoutes(Consumer<Javalin> routes, Optional<KeyRule> keys) {}
