package dev.serval.kernel.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * TorchServe's TLS keys: the keystore holding the listeners' private key and certificate chain,
 * used by every listener whose address is {@code https://}, and by the gRPC listeners with
 * {@code enable_grpc_ssl=true}.
 *
 * @param keystore {@code keystore}: the keystore file
 * @param password {@code keystore_pass}: its password, also the key's
 * @param type {@code keystore_type}: {@code PKCS12} (the default) or {@code JKS}
 */
public record TlsSettings(Path keystore, String password, String type) {

    /**
     * Opens the keystore once at start, so that a missing file or a wrong password is a line
     * naming the key before anything listens, not a stack trace once the models are loaded.
     *
     * @throws IllegalArgumentException when the keystore cannot be opened, saying why
     */
    void check() {
        if (!Files.isRegularFile(keystore)) {
            throw new IllegalArgumentException("config.properties: keystore " + keystore + " does not exist");
        }
        keyManagers();
    }

    /**
     * @return the keystore's keys, for a TLS server that takes them so (the gRPC listeners)
     * @throws IllegalArgumentException when the keystore cannot be opened, saying why
     */
    public KeyManagerFactory keyManagers() {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            return keys;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("config.properties: keystore " + keystore + " (keystore_type " + type
                    + ") cannot be opened: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[keystore=" + keystore + ", type=" + type + "]";
    }
}
