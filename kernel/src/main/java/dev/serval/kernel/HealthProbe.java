package dev.serval.kernel;

import dev.serval.kernel.config.Address;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Asks a server's {@code /ping} (which takes no key) how it is, as {@code serval start} waits for
 * the server it started.
 */
final class HealthProbe {

    /** Status codes are what {@link #ping} gives besides {@link #NO_ANSWER}. */
    static final int NO_ANSWER = -1;

    private final HttpClient http;
    private final URI ping;

    /**
     * @param inference the inference API's address
     * @throws GeneralSecurityException when no TLS context can be made for an {@code https://} one
     */
    HealthProbe(Address inference) throws GeneralSecurityException {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (inference.https()) {
            builder.sslContext(unverified());
        }
        http = builder.build();
        ping = URI.create((inference.https() ? "https://" : "http://") + inference.reachableHost() + ":"
                + inference.port() + "/ping");
    }

    /** @return {@code /ping}'s status code, or {@link #NO_ANSWER} while the server does not answer */
    int ping() throws InterruptedException {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return NO_ANSWER;
        }
    }

    /**
     * The server's certificate is not checked: the probe sends nothing secret and believes only a
     * status code, from the address the server was just started on, and the server's own
     * certificate is often self-signed or named for another host than the one probed.
     */
    private static SSLContext unverified() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingAnyServer()}, null);
        return context;
    }

    /** Trusts any server, and as an extended trust manager skips the host name check too. */
    private static final class TrustingAnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("a client's trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("a client's trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client's trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
