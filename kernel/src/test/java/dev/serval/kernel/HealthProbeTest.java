package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.serval.kernel.config.Address;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What serval start reads of the server it started: {@code /ping}'s status, over HTTP or TLS. */
class HealthProbeTest {

    private static HttpServer answering(HttpServer server, int status) {
        server.createContext("/ping", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void givesPingsStatusOrNoAnswer() throws Exception {
        HttpServer server =
                answering(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), 500);
        try {
            assertEquals(
                    500,
                    new HealthProbe(new Address("0.0.0.0", server.getAddress().getPort())).ping());
        } finally {
            server.stop(0);
        }
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        assertEquals(HealthProbe.NO_ANSWER, new HealthProbe(new Address("127.0.0.1", free)).ping());
    }

    @Test
    void readsATlsServerWhoseCertificateNamesAnotherHost(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("other.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "other",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "1",
                        "-dname",
                        "CN=elsewhere.example",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "secret1",
                        "-keypass",
                        "secret1")
                .redirectErrorStream(true)
                .start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "secret1".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "secret1".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        answering(server, 200);
        try {
            assertEquals(
                    200,
                    new HealthProbe(new Address("127.0.0.1", server.getAddress().getPort(), true)).ping());
        } finally {
            server.stop(0);
        }
    }
}
