package dev.serval.kernel.http;

import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;

/**
 * Refuses a request whose {@code Host} is not one of its listener's {@link OwnHosts names}, before
 * its key is checked or it is routed. A request without {@code Host} (HTTP/1.0) comes from no
 * browser and passes.
 *
 * <p>The answer is 421 Misdirected Request: RFC 9110 gives it to a request "directed at a server
 * that is unable or unwilling to produce an authoritative response for the target URI", which a
 * name this server does not go by is; a 403 would say the client lacks a right it could be given.
 */
final class HostCheck implements Handler {

    private final OwnHosts hosts;

    /** @param hosts the listener's names */
    HostCheck(OwnHosts hosts) {
        this.hosts = hosts;
    }

    @Override
    public void handle(Context ctx) {
        String host = ctx.header(Header.HOST);
        if (host != null && !hosts.answers(host)) {
            throw new ServingException(
                    421,
                    "MisdirectedRequestException",
                    "Host " + host + " is not this listener's:"
                            + " on loopback it answers to localhost, 127.0.0.1, [::1] and the names of allowed_hosts");
        }
    }
}
