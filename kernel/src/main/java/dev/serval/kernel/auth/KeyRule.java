package dev.serval.kernel.auth;

import java.util.Set;

/**
 * What one listener asks of a request, over HTTP and gRPC alike: its kind of key, except on the
 * paths or methods left open (health probes, which orchestrators call without keys).
 *
 * @param keys the server's keys
 * @param kind the key the listener takes
 * @param open the paths (HTTP) or full method names (gRPC) answered without a key
 */
public record KeyRule(Keys keys, Keys.Kind kind, Set<String> open) {

    /**
     * @param keys the server's keys
     * @param kind the key the listener takes
     * @param open the paths or method names answered without a key: copied, so that the rule
     *     cannot change under its users
     */
    public KeyRule {
        open = Set.copyOf(open);
    }

    /**
     * @param target the request's path or full method name
     * @param authorization its {@code Authorization} header or {@code authorization} metadata;
     *     null when it sent none
     * @return whether the request may go on
     */
    public boolean admits(String target, String authorization) {
        return open.contains(target) || keys.acceptsBearer(kind, authorization);
    }
}
