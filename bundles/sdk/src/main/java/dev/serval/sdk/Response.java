package dev.serval.sdk;

import java.util.Optional;

/**
 * A handler's answer to one request: a value the server writes as JSON, or raw bytes with their
 * media type. Immutable.
 */
public final class Response {

    private final Object json;
    private final byte[] bytes;
    private final String contentType;

    private Response(Object json, byte[] bytes, String contentType) {
        this.json = json;
        this.bytes = bytes;
        this.contentType = contentType;
    }

    /**
     * @param value maps, lists, strings, numbers and booleans, written with Jackson; a map's
     *     iteration order is kept, so use a {@link java.util.LinkedHashMap} for ranked results
     * @return a JSON response with status 200
     */
    public static Response json(Object value) {
        return new Response(value, null, "application/json");
    }

    /**
     * @param body the response body, sent as is
     * @param contentType its media type, for example {@code image/png}
     * @return a binary response with status 200
     */
    public static Response bytes(byte[] body, String contentType) {
        return new Response(null, body, contentType);
    }

    /** @return the value to write as JSON, empty for a binary response */
    public Optional<Object> json() {
        return Optional.ofNullable(json);
    }

    /** @return the raw body, empty for a JSON response */
    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytes);
    }

    /** @return the media type of the body */
    public String contentType() {
        return contentType;
    }
}
