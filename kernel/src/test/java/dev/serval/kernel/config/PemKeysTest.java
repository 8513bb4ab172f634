package dev.serval.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TorchServe's PEM keys, from fixtures in {@code src/test/resources/tls} made once with OpenSSL
 * 3.0 (self-signed for {@code localhost} and {@code 127.0.0.1}, valid 100 years):
 * {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 36500
 * -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1}; {@code key-pkcs1.pem}
 * by {@code openssl rsa -traditional}, the encrypted ones by {@code openssl pkcs8 -topk8 -v2
 * aes-256-cbc} and {@code openssl rsa -traditional -aes256}; {@code ec-key-sec1.pem} by
 * {@code openssl ecparam -name prime256v1 -genkey -noout}, {@code ec-key.pem} its PKCS#8 and
 * {@code ec-cert.pem} its certificate as above.
 */
class PemKeysTest {

    private static final char[] PASSWORD = "pw".toCharArray();

    /** @return the fixture of that name */
    static Path fixture(String name) {
        try {
            return Path.of(PemKeysTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"cert.pem, key.pem, RSA", "cert.pem, key-pkcs1.pem, RSA", "ec-cert.pem, ec-key.pem, EC"})
    void readsPkcs8AndOpenSslsPkcs1Keys(String certificate, String key, String algorithm) throws Exception {
        KeyStore store = PemKeys.keyStore(fixture(certificate), fixture(key), PASSWORD);

        String alias = Collections.list(store.aliases()).get(0);
        assertEquals(algorithm, ((PrivateKey) store.getKey(alias, PASSWORD)).getAlgorithm());
        assertEquals(
                "CN=localhost",
                ((X509Certificate) store.getCertificateChain(alias)[0])
                        .getSubjectX500Principal()
                        .getName());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "cert.pem | key-encrypted.pem | private_key_file | is encrypted; Serval reads an unencrypted key; openssl pkcs8 -topk8 -nocrypt",
                "cert.pem | key-pkcs1-encrypted.pem | private_key_file | is encrypted; Serval reads an unencrypted key; openssl pkcs8 -topk8 -nocrypt",
                "ec-cert.pem | ec-key-sec1.pem | private_key_file | holds a BEGIN EC PRIVATE KEY block; Serval reads PKCS#8",
                "cert.pem | ec-key.pem | private_key_file | is not the key of certificate_file",
                "ec-cert.pem | key.pem | private_key_file | is not the key of certificate_file",
                "cert.pem | missing.pem | private_key_file | does not exist",
                "cert.pem | cert.pem | private_key_file | holds no PEM private key",
                "missing.pem | key.pem | certificate_file | does not exist",
                "key.pem | key.pem | certificate_file | is not a PEM certificate chain"
            })
    void refusesWhatCannotServeInOneLineNamingTheKey(String certificate, String key, String name, String why) {
        Path certificateFile = certificate.equals("missing.pem")
                ? fixture("cert.pem").resolveSibling(certificate)
                : fixture(certificate);
        Path keyFile = key.equals("missing.pem") ? fixture("key.pem").resolveSibling(key) : fixture(key);

        String message = assertThrows(
                        IllegalArgumentException.class, () -> PemKeys.keyStore(certificateFile, keyFile, PASSWORD))
                .getMessage();

        Path named = name.equals("private_key_file") ? keyFile : certificateFile;
        assertTrue(message.startsWith("config.properties: " + name + " " + named + " " + why), message);
        assertFalse(message.contains("\n"), message);
    }
}
