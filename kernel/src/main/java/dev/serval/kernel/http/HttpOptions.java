package dev.serval.kernel.http;

import dev.serval.kernel.auth.Keys;
import io.javalin.http.Handler;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * How a listener serves, besides its routes.
 *
 * @param maxRequestSize the largest body accepted, in bytes; larger ones get a 413
 * @param statuses told the status of every answer, for the metrics
 * @param auth checks every request's key before it is routed; none when empty
 */
public record HttpOptions(long maxRequestSize, IntConsumer statuses, Optional<Handler> auth) {

    /**
     * @param maxRequestSize the largest body accepted, in bytes
     * @param statuses told the status of every answer
     * @return options without token authorization
     */
    public static HttpOptions open(long maxRequestSize, IntConsumer statuses) {
        return new HttpOptions(maxRequestSize, statuses, Optional.empty());
    }

    /**
     * @param keys the server's keys
     * @param kind the key requests must carry
     * @param openPaths paths answered without one
     * @return these options, with token authorization
     */
    public HttpOptions requiring(Keys keys, Keys.Kind kind, Set<String> openPaths) {
        return new HttpOptions(maxRequestSize, statuses, Optional.of(new BearerAuth(keys, kind, openPaths)));
    }
}
