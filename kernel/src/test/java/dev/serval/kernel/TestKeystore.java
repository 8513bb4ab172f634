package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;

/** A self-signed keystore for 127.0.0.1 made by the JDK's keytool, as an operator makes one, and trust in it. */
public final class TestKeystore {

    /** The keystore's and its key's password. */
    public static final String PASSWORD = "secret1";

    private TestKeystore() {}

    /**
     * @param dir where to write {@code serval.p12}
     * @return the PKCS12 keystore, valid a day
     */
    public static Path make(Path dir) throws Exception {
        Path keystore = dir.resolve("serval.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "serval",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        return keystore;
    }

    /**
     * @param keystore one {@link #make} wrote
     * @return trust in its certificate alone
     */
    public static TrustManagerFactory trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return trust;
    }
}
