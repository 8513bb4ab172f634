package dev.serval.kernel.config;

import java.nio.file.Path;

/**
 * TorchServe's TLS keys: the keystore holding the listeners' private key and certificate chain,
 * used by every listener whose address is {@code https://}.
 *
 * @param keystore {@code keystore}: the keystore file
 * @param password {@code keystore_pass}: its password, also the key's
 * @param type {@code keystore_type}: {@code PKCS12} (the default) or {@code JKS}
 */
public record TlsSettings(Path keystore, String password, String type) {

    @Override
    public String toString() {
        return "TlsSettings[keystore=" + keystore + ", type=" + type + "]";
    }
}
