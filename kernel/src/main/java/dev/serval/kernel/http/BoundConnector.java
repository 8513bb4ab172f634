package dev.serval.kernel.http;

import dev.serval.kernel.config.TlsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The one connector of a listener, on the socket {@link ListenerSockets} bound at start, in
 * place of Javalin's own (which Javalin adds only when none is configured): plain HTTP as
 * Javalin's, or TLS with the configured keys for an {@code https://} address; either closes a
 * connection that moves no byte for the idle timeout.
 */
final class BoundConnector implements BiFunction<Server, HttpConfiguration, Connector> {

    private final ServerSocketChannel socket;
    private final Optional<TlsSettings> tls;
    private final Duration idleTimeout;

    /**
     * @param socket the bound socket, which the connector closes when it stops
     * @param tls the keys, for TLS; plain HTTP when empty
     * @param idleTimeout how long a connection may move no byte
     */
    BoundConnector(ServerSocketChannel socket, Optional<TlsSettings> tls, Duration idleTimeout) {
        this.socket = socket;
        this.tls = tls;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public Connector apply(Server server, HttpConfiguration http) {
        ServerConnector connector = tls.map(settings -> secure(server, http, settings))
                .orElseGet(() -> new ServerConnector(server, new HttpConnectionFactory(http)));
        connector.setIdleTimeout(idleTimeout.toMillis());
        // Jetty cuts the idle timeout to 1 s when a graceful stop begins, which cut a streamed
        // answer pausing a second between parts; the stop waits for the requests, not for the
        // idle connections, which it closes once the requests are answered.
        connector.setShutdownIdleTimeout(idleTimeout.toMillis());
        try {
            connector.open(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return connector;
    }

    private static ServerConnector secure(Server server, HttpConfiguration http, TlsSettings tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.open());
        ssl.setKeyStorePassword(tls.password());
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        return new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }
}
