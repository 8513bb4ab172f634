package dev.serval.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server's version, as the build's pom gives it: reported to handlers, in the Open Inference
 * Protocol's server metadata, the OpenAPI description, the console and {@code serval --version}.
 *
 * <p>The build writes it into a resource beside this class rather than the jar manifest, because
 * the manifest is found only where the classes come from a jar: unit tests and IDE runs load them
 * from a folder. It is read once, not a compile-time constant, so that a bundle compiled against
 * one build reports the version of the server it runs in.
 */
public final class ServerVersion {

    /** The version, e.g. {@code 0.1.0}, or {@code 0.1.0-SNAPSHOT} between releases. */
    public static final String CURRENT = read();

    private ServerVersion() {}

    private static String read() {
        Properties properties = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream("server.properties")) {
            if (in == null) {
                throw new IllegalStateException("server.properties is missing beside " + ServerVersion.class);
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
