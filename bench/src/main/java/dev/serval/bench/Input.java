package dev.serval.bench;

import dev.serval.sdk.Request;

/**
 * One request body, sent as the same bytes to the handler in-process and to the server over HTTP.
 *
 * @param body the request body
 * @param contentType its media type
 */
record Input(byte[] body, String contentType) {

    /** @return the request the server would build from these bytes */
    Request toRequest() {
        return Request.builder(body).contentType(contentType).build();
    }
}
