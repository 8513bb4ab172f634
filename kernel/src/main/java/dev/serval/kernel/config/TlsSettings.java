package dev.serval.kernel.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * TorchServe's TLS keys, used by every listener whose address is {@code https://}, and by the
 * gRPC listeners with {@code enable_grpc_ssl=true}: a keystore, or PEM files as TorchServe's
 * {@code private_key_file} and {@code certificate_file}.
 */
public sealed interface TlsSettings {

    /**
     * Opens the keys. The server does so once at start, before anything listens, so that a
     * missing file, a wrong password or a key it cannot read is a line naming the key, not a
     * stack trace once the models are loaded.
     *
     * @return a keystore holding the listeners' private key and certificate chain, the key
     *     protected by {@link #password()}
     * @throws IllegalArgumentException when the keys cannot be opened, saying which and why
     */
    KeyStore open();

    /** @return the password of {@link #open()}'s keystore and of its key */
    String password();

    /**
     * @return {@link #open()}'s keys, for a TLS server that takes them so (the gRPC listeners)
     * @throws IllegalArgumentException when the keys cannot be opened, saying which and why
     */
    default KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(open(), password().toCharArray());
            return keys;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("TLS keys " + this + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * @param keystore {@code keystore}: the keystore file
     * @param password {@code keystore_pass}: its password, also the key's
     * @param type {@code keystore_type}: {@code PKCS12} (the default) or {@code JKS}
     */
    record Keystore(Path keystore, String password, String type) implements TlsSettings {

        @Override
        public KeyStore open() {
            if (!Files.isRegularFile(keystore)) {
                throw new IllegalArgumentException("config.properties: keystore " + keystore + " does not exist");
            }
            try (InputStream in = Files.newInputStream(keystore)) {
                KeyStore store = KeyStore.getInstance(type);
                store.load(in, password.toCharArray());
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "config.properties: keystore " + keystore + " (keystore_type " + type + ") cannot be opened: "
                                + e.getMessage(),
                        e);
            }
        }

        @Override
        public String toString() {
            return "TlsSettings.Keystore[keystore=" + keystore + ", type=" + type + "]";
        }
    }

    /**
     * @param certificateFile {@code certificate_file}: the PEM certificate chain, the server's
     *     own certificate first
     * @param privateKeyFile {@code private_key_file}: its PEM private key, not encrypted
     */
    record PemFiles(Path certificateFile, Path privateKeyFile) implements TlsSettings {

        /** The files' key is held in memory only, so its password protects nothing but is required. */
        private static final String IN_MEMORY = "serval";

        @Override
        public KeyStore open() {
            return PemKeys.keyStore(certificateFile, privateKeyFile, IN_MEMORY.toCharArray());
        }

        @Override
        public String password() {
            return IN_MEMORY;
        }
    }
}
