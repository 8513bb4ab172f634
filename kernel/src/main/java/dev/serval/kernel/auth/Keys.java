package dev.serval.kernel.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * TorchServe's token authorization keys: one for the inference API, one for the management API,
 * each valid for a while after it is issued, and one that renews them ({@code API}, never
 * expiring). The current keys are one immutable value, so checking a request takes no lock.
 */
public final class Keys {

    /** What a key opens. */
    public enum Kind {
        /** The inference API. */
        INFERENCE("inference"),
        /** The management API. */
        MANAGEMENT("management"),
        /** Renewing the other two: {@code GET /token}. */
        API("API");

        private final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }

        /**
         * @param name {@code inference} or {@code management}, as {@code /token?type=} takes it
         * @return the kind, when it is one that can be renewed
         */
        public static Optional<Kind> renewable(String name) {
            return Optional.ofNullable(name).flatMap(n -> switch (n) {
                case "inference" -> Optional.of(INFERENCE);
                case "management" -> Optional.of(MANAGEMENT);
                default -> Optional.empty();
            });
        }
    }

    /** TorchServe's words for a request without the right key, over HTTP and gRPC alike. */
    public static final String REFUSED =
            "Token Authorization failed. Token either incorrect, expired, or not provided correctly";

    private static final String BEARER = "Bearer ";

    /** 16 random bytes: 128 bits, where TorchServe's keys have 48. */
    private static final int KEY_BYTES = 16;

    private record Key(byte[] value, Optional<Instant> expires) {
        boolean accepts(byte[] token, Instant now) {
            return MessageDigest.isEqual(value, token)
                    && expires.map(now::isBefore).orElse(true);
        }

        Map<String, Object> describe() {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", new String(value, StandardCharsets.US_ASCII));
            expires.ifPresent(time -> entry.put("expiration time", time.toString()));
            return entry;
        }
    }

    private record Current(Key inference, Key management, Key api) {
        Key get(Kind kind) {
            return switch (kind) {
                case INFERENCE -> inference;
                case MANAGEMENT -> management;
                case API -> api;
            };
        }
    }

    private final KeyFile file;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Current current;

    Keys(KeyFile file, Duration lifetime, Clock clock) throws IOException {
        this.file = file;
        this.lifetime = lifetime;
        this.clock = clock;
        current = write(new Current(expiring(), expiring(), new Key(newKey(), Optional.empty())));
    }

    /**
     * @param file where to write {@code key_file.json}
     * @param lifetime how long inference and management keys are valid
     * @return new keys, written to the file
     * @throws IOException when the file cannot be written
     */
    public static Keys issue(Path file, Duration lifetime) throws IOException {
        return new Keys(new KeyFile(file), lifetime, Clock.systemUTC());
    }

    /**
     * Reads a key as a client on the server's machine does: from the key file of a running server.
     *
     * @param file the server's {@code key_file.json}
     * @param kind the key wanted
     * @return the key
     * @throws IOException when the file cannot be read or holds no such key
     */
    public static String read(Path file, Kind kind) throws IOException {
        return new KeyFile(file).read(kind.fileName);
    }

    /** @return where the keys are written */
    public Path file() {
        return file.path();
    }

    /**
     * @param kind what the request wants to open
     * @param token the bearer token it sent
     * @return whether the token is that kind's current key and has not expired
     */
    public boolean accepts(Kind kind, String token) {
        return current.get(kind).accepts(token.getBytes(StandardCharsets.US_ASCII), clock.instant());
    }

    /**
     * @param kind what the request wants to open
     * @param authorization its {@code Authorization} header (HTTP) or {@code authorization}
     *     metadata (gRPC); null when it sent none
     * @return whether it is {@code Bearer <key>} with that kind's current key
     */
    public boolean acceptsBearer(Kind kind, String authorization) {
        return authorization != null
                && authorization.startsWith(BEARER)
                && accepts(kind, authorization.substring(BEARER.length()));
    }

    /**
     * Replaces the inference or management key with a new one, valid from now, and rewrites the
     * key file; the old key stops working at once.
     *
     * @param kind {@link Kind#INFERENCE} or {@link Kind#MANAGEMENT}
     * @return the new key and its expiration time, as the key file has them
     * @throws IOException when the key file cannot be written
     */
    public synchronized Map<String, Object> renew(Kind kind) throws IOException {
        Current keys = current;
        current = write(
                switch (kind) {
                    case INFERENCE -> new Current(expiring(), keys.management(), keys.api());
                    case MANAGEMENT -> new Current(keys.inference(), expiring(), keys.api());
                    case API -> throw new IllegalArgumentException("The API key is not renewed");
                });
        return Map.of(kind.fileName, current.get(kind).describe());
    }

    /**
     * Deletes the key file, as TorchServe does when it stops.
     *
     * @throws IOException when it cannot be deleted
     */
    public void discard() throws IOException {
        file.delete();
    }

    private Key expiring() {
        return new Key(newKey(), Optional.of(clock.instant().plus(lifetime)));
    }

    private byte[] newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encode(bytes);
    }

    /** Written before the keys take effect: a key is never accepted that the file does not hold. */
    private Current write(Current keys) throws IOException {
        Map<String, Object> content = new LinkedHashMap<>();
        for (Kind kind : new Kind[] {Kind.MANAGEMENT, Kind.INFERENCE, Kind.API}) {
            content.put(kind.fileName, keys.get(kind).describe());
        }
        file.write(content);
        return keys;
    }
}
