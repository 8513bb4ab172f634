package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.CorsSettings;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.config.TlsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * How a listener serves, besides its routes and their keys ({@link ApiRoutes}).
 *
 * @param maxRequestSize the largest body accepted, in bytes; larger ones get a 413
 * @param statuses told the status of every answer, for the metrics
 * @param cors the CORS answers, when CORS is on
 * @param tls the keystore, for an {@code https://} address
 * @param allowedHosts {@code allowed_hosts}: the names a loopback listener answers to besides its own
 * @param idleTimeout how long a connection may move no byte before it is closed; an answer the
 *     client takes nothing of for this long is given up
 * @param console the web console's files, served by this listener (management)
 * @param consoleAt the listener serving the console, whose page may call this one (inference)
 */
public record HttpOptions(
        long maxRequestSize,
        IntConsumer statuses,
        Optional<CorsSettings> cors,
        Optional<TlsSettings> tls,
        List<String> allowedHosts,
        Duration idleTimeout,
        Optional<ConsoleAssets> console,
        Optional<Address> consoleAt) {

    /**
     * @param config the server's limits, CORS and TLS settings
     * @param statuses told the status of every answer
     * @return the options
     */
    public static HttpOptions of(ServerConfig config, IntConsumer statuses) {
        return new HttpOptions(
                config.maxRequestSize(),
                statuses,
                config.cors(),
                config.tls(),
                config.allowedHosts(),
                config.idleTimeout(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * @param assets the console's files
     * @return these options, serving the console, whose files need no key
     */
    HttpOptions serving(ConsoleAssets assets) {
        return new HttpOptions(
                maxRequestSize, statuses, cors, tls, allowedHosts, idleTimeout, Optional.of(assets), consoleAt);
    }

    /**
     * @param management the management listener, with the port it listens on
     * @return these options, answering the console's page with CORS headers
     */
    HttpOptions callableFrom(Address management) {
        return new HttpOptions(
                maxRequestSize, statuses, cors, tls, allowedHosts, idleTimeout, console, Optional.of(management));
    }
}
