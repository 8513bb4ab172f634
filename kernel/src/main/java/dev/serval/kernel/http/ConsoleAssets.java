package dev.serval.kernel.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web console's static files on the management listener: its pages, scripts and styles under
 * {@code /console/}, and the libraries it uses (uPlot, Swagger UI) as WebJars under
 * {@code /webjars/}, all from the class path. They hold no secrets, so they are served without a
 * key; the console's calls carry the key the user signs in with. Every answer has a
 * Content-Security-Policy that allows scripts and styles from this listener only (no inline ones,
 * nothing from elsewhere) and connections to this listener and to the inference listener's port.
 */
final class ConsoleAssets {

    /** Where the console is. */
    static final String PATH = "/console";
    /** A path of the console's files or the WebJars': plain segments, no {@code ..}, no escapes. */
    private static final Pattern ASSET = Pattern.compile("/(console|webjars)(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*/?");

    private final String inferenceOrigins;

    /**
     * @param inferenceScheme {@code http} or {@code https}: the inference listener's
     * @param inferencePort the inference listener's port, which "try it" sends requests to
     */
    ConsoleAssets(String inferenceScheme, int inferencePort) {
        // Any host: the console reaches the inference listener by the name it was opened with.
        this.inferenceOrigins = inferenceScheme + "://*:" + inferencePort;
    }

    /** @param config the management listener's configuration, given the console's files */
    void configure(JavalinConfig config) {
        Map<String, String> headers = Map.of(
                "Content-Security-Policy", contentSecurityPolicy(),
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Cache-Control", "no-cache");
        config.staticFiles.add(files -> {
            files.hostedPath = PATH;
            files.directory = "/dev/serval/kernel/console";
            files.location = Location.CLASSPATH;
            files.headers = headers;
        });
        config.staticFiles.enableWebjars();
    }

    /** @return the policy of the console's pages */
    String contentSecurityPolicy() {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
                + "font-src 'self'; connect-src 'self' " + inferenceOrigins + "; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /**
     * @param path a request's path
     * @return whether it names one of the console's files or a WebJar's, which need no key
     */
    static boolean isAsset(String path) {
        return ASSET.matcher(path).matches();
    }
}
