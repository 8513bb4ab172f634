package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.TlsSettings;
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
 * The one connector of a listener, in place of Javalin's (Javalin adds its own only when none is
 * configured): plain HTTP, or TLS with the configured keystore for an {@code https://} address;
 * either closes a connection that moves no byte for the idle timeout.
 */
final class ListenerConnector implements BiFunction<Server, HttpConfiguration, Connector> {

    private final Address address;
    private final Optional<TlsSettings> tls;
    private final Duration idleTimeout;

    /**
     * @param address where to listen
     * @param tls the keystore, for TLS
     * @param idleTimeout how long a connection may move no byte
     */
    ListenerConnector(Address address, Optional<TlsSettings> tls, Duration idleTimeout) {
        this.address = address;
        this.tls = tls;
        this.idleTimeout = idleTimeout;
    }

    @Override
    public Connector apply(Server server, HttpConfiguration http) {
        ServerConnector connector = tls.map(keystore -> https(server, http, keystore))
                .orElseGet(() -> new ServerConnector(server, new HttpConnectionFactory(http)));
        connector.setHost(address.host());
        connector.setPort(address.port());
        connector.setIdleTimeout(idleTimeout.toMillis());
        return connector;
    }

    private static ServerConnector https(Server server, HttpConfiguration http, TlsSettings tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyStoreType(tls.type());
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        return new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    }
}
