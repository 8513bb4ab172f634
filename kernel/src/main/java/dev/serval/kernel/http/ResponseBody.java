package dev.serval.kernel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.serval.sdk.Response;
import dev.serval.serving.ServingException;
import java.io.UncheckedIOException;

/**
 * A handler's answer as the bytes every API sends of it, REST and gRPC alike: a JSON answer
 * written as the REST API writes JSON, a binary one as it is; none larger than
 * {@code max_response_size}.
 */
public final class ResponseBody {

    private ResponseBody() {}

    /**
     * @param response what the handler answered
     * @param maxResponseSize the largest body sent, in bytes
     * @return the body to send
     * @throws ServingException 507 when the body is larger than {@code maxResponseSize}
     */
    public static byte[] of(Response response, long maxResponseSize) {
        byte[] body;
        try {
            body = response.json().isPresent()
                    ? ApiServer.JSON.writeValueAsBytes(response.json().get())
                    : response.bytes().orElse(new byte[0]);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (body.length > maxResponseSize) {
            throw new ServingException(
                    507,
                    "ResponseTooLargeException",
                    "The response of " + body.length + " bytes exceeds max_response_size (" + maxResponseSize
                            + " bytes); raise it in config.properties");
        }
        return body;
    }
}
