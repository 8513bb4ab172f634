package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.TlsSettings;
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
 * The one connector of an {@code https://} listener: TLS with the configured keystore, in place
 * of Javalin's plain HTTP connector (Javalin adds its own only when none is configured).
 */
final class TlsConnector implements BiFunction<Server, HttpConfiguration, Connector> {

    private final Address address;
    private final TlsSettings tls;

    TlsConnector(Address address, TlsSettings tls) {
        this.address = address;
        this.tls = tls;
    }

    @Override
    public Connector apply(Server server, HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keystore().toString());
        ssl.setKeyStorePassword(tls.password());
        ssl.setKeyStoreType(tls.type());
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(address.host());
        connector.setPort(address.port());
        return connector;
    }
}
