package dev.serval.kernel.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * TorchServe's TLS keys: the keystore holding the listeners' private key and certificate chain,
 * used by every listener whose address is {@code https://}.
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
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore.getInstance(type).load(in, password.toCharArray());
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
