package dev.serval.kernel.config;

import java.net.URI;

/**
 * Where an API listens, written as TorchServe writes it: {@code http://127.0.0.1:8080}, or
 * {@code https://...} for TLS with the configured keystore.
 *
 * @param host the interface to bind, {@code 0.0.0.0} for all
 * @param port the TCP port, 0 for any free one
 * @param https whether it speaks TLS
 */
public record Address(String host, int port, boolean https) {

    /**
     * @param host the interface to bind
     * @param port the TCP port, 0 for any free one
     * @param https whether it speaks TLS
     * @throws IllegalArgumentException when the port is not a TCP port
     */
    public Address {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0–65535, not " + port);
        }
    }

    /**
     * @param host the interface to bind
     * @param port the TCP port
     */
    public Address(String host, int port) {
        this(host, port, false);
    }

    /**
     * @param text {@code http://host:port}, {@code https://host:port} or {@code host:port}
     * @return the address
     * @throws IllegalArgumentException when the text is not an address
     */
    public static Address parse(String text) {
        String value = text.trim();
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("Addresses are http:// or https://: " + text);
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("Address needs a host and a port: " + text);
        }
        return new Address(uri.getHost(), uri.getPort(), "https".equals(uri.getScheme()));
    }

    /** @return the host a client on this machine reaches the listener at: loopback for one on every interface */
    public String reachableHost() {
        return switch (host) {
            case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> host;
        };
    }

    @Override
    public String toString() {
        return (https ? "https://" : "http://") + host + ":" + port;
    }
}
