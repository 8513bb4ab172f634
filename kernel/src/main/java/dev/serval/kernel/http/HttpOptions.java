package dev.serval.kernel.http;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.config.CorsSettings;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.config.TlsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * How a listener serves, besides its routes.
 *
 * @param maxRequestSize the largest body accepted, in bytes; larger ones get a 413
 * @param statuses told the status of every answer, for the metrics
 * @param auth checks every request's key before it is routed; none when empty
 * @param cors the CORS answers, when CORS is on
 * @param tls the keystore, for an {@code https://} address
 * @param allowedHosts {@code allowed_hosts}: the names a loopback listener answers to besides its own
 * @param idleTimeout how long a connection may move no byte before it is closed; an answer the
 *     client takes nothing of for this long is given up
 * @param console the web console's files, served by this listener (management)
 * @param consoleAt the listener serving the console, whose page may call this one (inference)
 */
public record HttpOptions(long maxRequestSize, IntConsumer statuses, Optional<BearerAuth> auth,
        Optional<CorsSettings> cors, Optional<TlsSettings> tls, List<String> allowedHosts, Duration idleTimeout,
        Optional<ConsoleAssets> console, Optional<Address> consoleAt) {

    /**
     * @param config the server's limits, CORS and TLS settings
     * @param statuses told the status of every answer
     * @return options without token authorization
     */
    public static HttpOptions of(ServerConfig config, IntConsumer statuses) {
        return new HttpOptions(config.maxRequestSize(), statuses, Optional.empty(), config.cors(), config.tls(),
                config.allowedHosts(), config.idleTimeout(), Optional.empty(), Optional.empty());
    }

    /**
     * @param keys the server's keys
     * @param kind the key requests must carry
     * @param openPaths paths answered without one
     * @return these options, with token authorization
     */
    public HttpOptions requiring(Keys keys, Keys.Kind kind, Set<String> openPaths) {
        return new HttpOptions(maxRequestSize, statuses, Optional.of(new BearerAuth(new KeyRule(keys, kind, openPaths))), cors, tls,
                allowedHosts, idleTimeout, console, consoleAt);
    }

    /**
     * @param assets the console's files
     * @return these options, serving the console, whose files need no key
     */
    HttpOptions serving(ConsoleAssets assets) {
        return new HttpOptions(maxRequestSize, statuses, auth.map(check -> check.leavingOpen(ConsoleAssets::isAsset)),
                cors, tls, allowedHosts, idleTimeout, Optional.of(assets), consoleAt);
    }

    /**
     * @param management the management listener, with the port it listens on
     * @return these options, answering the console's page with CORS headers
     */
    HttpOptions callableFrom(Address management) {
        return new HttpOptions(maxRequestSize, statuses, auth, cors, tls, allowedHosts, idleTimeout, console,
                Optional.of(management));
    }
}
