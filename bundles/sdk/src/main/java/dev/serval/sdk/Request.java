package dev.serval.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One inference request: its body and what came with it. Immutable.
 *
 * <p>Header names are matched without regard to case. Build one with {@link #builder(byte[])},
 * for example in a handler's unit test.
 */
public final class Request {

    private final byte[] body;
    private final String contentType;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> queryParameters;
    private final ResponseStream stream;

    private Request(Builder builder) {
        this.body = builder.body;
        this.contentType = builder.contentType;
        this.headers = Collections.unmodifiableMap(builder.headers);
        this.queryParameters = Collections.unmodifiableMap(builder.queryParameters);
        this.stream = builder.stream;
    }

    private Request(Request request, ResponseStream stream) {
        this.body = request.body;
        this.contentType = request.contentType;
        this.headers = request.headers;
        this.queryParameters = request.queryParameters;
        this.stream = stream;
    }

    /**
     * @param body the request body; the array is taken as is, not copied
     * @return a builder for a request with that body
     */
    public static Builder builder(byte[] body) {
        return new Builder(body);
    }

    /** @return the body; handlers must not modify the array */
    public byte[] body() {
        return body;
    }

    /** @return the body decoded as UTF-8, with malformed bytes replaced */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the media type without parameters, lower-case, or empty when none was sent */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** @return every header, names compared without regard to case */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * @param name a header name, in any case
     * @return the header's first value
     */
    public Optional<String> header(String name) {
        return first(headers.get(name));
    }

    /** @return every query parameter of the request URL */
    public Map<String, List<String>> queryParameters() {
        return queryParameters;
    }

    /**
     * @param name a query parameter name
     * @return the parameter's first value
     */
    public Optional<String> queryParameter(String name) {
        return first(queryParameters.get(name));
    }

    /**
     * @return where the handler sends intermediate answers to this request before its final one;
     *     {@link ResponseStream#DISCARD} when the caller takes only the final answer
     * @since 1.2
     */
    public ResponseStream stream() {
        return stream;
    }

    /**
     * @param stream where intermediate answers to the copy go
     * @return a copy of this request with that stream, as the server gives it to the handler
     * @since 1.2
     */
    public Request withStream(ResponseStream stream) {
        return new Request(this, Objects.requireNonNull(stream, "stream"));
    }

    private static Optional<String> first(List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Builds a {@link Request}. */
    public static final class Builder {
        private final byte[] body;
        private String contentType;
        // The maps a built request holds as they are: a change after build() goes to copies
        // (copy-on-write), so the server builds a request without copying its headers twice.
        private TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private TreeMap<String, List<String>> queryParameters = new TreeMap<>();
        private boolean built;
        private ResponseStream stream = ResponseStream.DISCARD;

        private Builder(byte[] body) {
            this.body = body == null ? new byte[0] : body;
        }

        /**
         * @param contentType a media type; parameters such as {@code charset} are dropped
         * @return this builder
         */
        public Builder contentType(String contentType) {
            if (contentType == null || contentType.isBlank()) {
                this.contentType = null;
            } else {
                int semicolon = contentType.indexOf(';');
                String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
                this.contentType = type.trim().toLowerCase(Locale.ROOT);
            }
            return this;
        }

        /**
         * @param name header name
         * @param values its values
         * @return this builder
         */
        public Builder header(String name, List<String> values) {
            unshare();
            headers.put(name, List.copyOf(values));
            return this;
        }

        /**
         * @param name query parameter name
         * @param values its values
         * @return this builder
         */
        public Builder queryParameter(String name, List<String> values) {
            unshare();
            queryParameters.put(name, List.copyOf(values));
            return this;
        }

        /**
         * @param stream where the handler's intermediate answers go, for example a list in a
         *     handler's unit test; {@link ResponseStream#DISCARD} unless set
         * @return this builder
         * @since 1.2
         */
        public Builder stream(ResponseStream stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
            return this;
        }

        /** @return the request */
        public Request build() {
            built = true;
            return new Request(this);
        }

        private void unshare() {
            if (built) {
                headers = new TreeMap<>(headers);
                queryParameters = new TreeMap<>(queryParameters);
                built = false;
            }
        }
    }
}
