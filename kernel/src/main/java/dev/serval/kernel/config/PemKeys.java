package dev.serval.kernel.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TorchServe's PEM TLS keys read into a keystore: {@code certificate_file}'s X.509 chain and
 * {@code private_key_file}'s key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA or EC) or
 * OpenSSL's PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}), which TorchServe also reads. What cannot
 * serve, an encrypted key or one that does not belong to the certificate, is refused with the
 * line that fixes it.
 */
final class PemKeys {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** PKCS#8's version 0 and rsaEncryption's algorithm identifier: what precedes a PKCS#1 key in PKCS#8. */
    private static final byte[] RSA_KEY_INFO = HexFormat.of().parseHex("020100300d06092a864886f70d0101010500");

    private PemKeys() {}

    /**
     * @param certificateFile the PEM certificate chain, the server's own first
     * @param privateKeyFile the PEM private key of its first certificate
     * @param password the password to protect the key with in the keystore
     * @return an in-memory keystore holding the key and chain
     * @throws IllegalArgumentException naming the key when a file is missing or unreadable, or
     *     the key is encrypted or not the certificate's
     */
    static KeyStore keyStore(Path certificateFile, Path privateKeyFile, char[] password) {
        X509Certificate[] chain = certificates(certificateFile);
        PrivateKey key = privateKey(privateKeyFile);
        checkPair(key, chain[0], privateKeyFile, certificateFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("serval", key, password, chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("An in-memory keystore cannot be made", e);
        }
    }

    private static X509Certificate[] certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (chain.isEmpty()) {
                throw refused("certificate_file", file, "holds no certificate (-----BEGIN CERTIFICATE-----)");
            }
            return chain.toArray(X509Certificate[]::new);
        } catch (NoSuchFileException e) {
            throw refused("certificate_file", file, "does not exist");
        } catch (IOException | CertificateException e) {
            throw refused("certificate_file", file, "is not a PEM certificate chain: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw refused("private_key_file", file, "does not exist");
        } catch (IOException e) {
            throw refused("private_key_file", file, "cannot be read: " + e.getMessage());
        }
        // A key file may hold more than the key: OpenSSL writes EC PARAMETERS before it, some write
        // the certificate beside it.
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            String body = block.group(2);
            switch (block.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(decode(body, file), file);
                case "RSA PRIVATE KEY":
                    if (body.contains("ENCRYPTED")) {
                        throw refused(
                                "private_key_file", file, "is encrypted; Serval reads an unencrypted key" + fix(file));
                    }
                    return pkcs8(rsaPkcs8(decode(body, file)), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw refused(
                            "private_key_file", file, "is encrypted; Serval reads an unencrypted key" + fix(file));
                default:
                    if (block.group(1).endsWith("PRIVATE KEY")) {
                        throw refused(
                                "private_key_file",
                                file,
                                "holds a BEGIN " + block.group(1)
                                        + " block; Serval reads PKCS#8 (BEGIN PRIVATE KEY) or PKCS#1 RSA (BEGIN RSA PRIVATE KEY)"
                                        + fix(file));
                    }
            }
        }
        throw refused("private_key_file", file, "holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static byte[] decode(String base64, Path file) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw refused("private_key_file", file, "is not PEM: " + e.getMessage());
        }
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm's
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("The JDK lacks " + algorithm, e);
            }
        }
        throw refused("private_key_file", file, "is neither an RSA nor an EC private key" + fix(file));
    }

    /** PKCS#1's RSAPrivateKey as the PKCS#8 PrivateKeyInfo that holds it, as TorchServe converts it. */
    private static byte[] rsaPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(RSA_KEY_INFO);
        info.writeBytes(der(0x04, pkcs1));
        return der(0x30, info.toByteArray());
    }

    /** @return a DER value: its tag, its length (short or long form), its content */
    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (content.length < 0x80) {
            out.write(content.length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(content.length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(content.length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /**
     * A key that is not the certificate's would fail every handshake after a clean start; a
     * signature the certificate's public key verifies shows they are a pair, whatever the algorithm.
     */
    private static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile) {
        String algorithm = key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = "serval".getBytes(StandardCharsets.US_ASCII);
        boolean pair;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            pair = verifier.verify(signer.sign());
        } catch (GeneralSecurityException e) {
            pair = false; // the certificate's key is of another algorithm
        }
        if (!pair) {
            throw refused(
                    "private_key_file",
                    keyFile,
                    "is not the key of certificate_file " + certificateFile + " ("
                            + certificate.getSubjectX500Principal().getName()
                            + "); set the key the certificate was made for");
        }
    }

    /** @return how to write the key as Serval reads it */
    private static String fix(Path file) {
        return "; openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem writes one";
    }

    private static IllegalArgumentException refused(String key, Path file, String why) {
        return new IllegalArgumentException("config.properties: " + key + " " + file + " " + why);
    }
}
