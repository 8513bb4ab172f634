package dev.serval.kernel.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.serval.kernel.http.ApiServer;
import java.io.UncheckedIOException;

/** The JSON text TorchServe's gRPC APIs answer in their string fields, written as the REST APIs write it. */
final class Json {

    private Json() {}

    /**
     * @param value maps, lists, strings and numbers
     * @return their JSON, pretty-printed as the REST API's bodies
     */
    static String text(Object value) {
        try {
            return ApiServer.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
