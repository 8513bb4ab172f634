package dev.serval.kernel.grpc;

import dev.serval.serving.ServingException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed call's gRPC status: the REST API's status code mapped as TorchServe's
 * {@code GRPCUtils.getGRPCStatusCode} maps it, with the REST API's message.
 */
final class GrpcStatus {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcStatus.class);

    private GrpcStatus() {}

    /**
     * @param httpStatus the REST API's status code for the same failure
     * @return its gRPC status, as TorchServe maps it; a disabled model API (405, the only one a
     *     gRPC call can meet) is PERMISSION_DENIED and an answer over {@code max_response_size}
     *     (507) RESOURCE_EXHAUSTED, as TorchServe's gRPC API and gRPC's own limits answer them
     */
    static Status of(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 403, 405 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            case 409 -> Status.ABORTED;
            case 413, 429, 507 -> Status.RESOURCE_EXHAUSTED;
            case 416 -> Status.OUT_OF_RANGE;
            case 499 -> Status.CANCELLED;
            case 501 -> Status.UNIMPLEMENTED;
            case 503 -> Status.UNAVAILABLE;
            case 504 -> Status.DEADLINE_EXCEEDED;
            default ->
                httpStatus >= 200 && httpStatus < 300
                        ? Status.OK
                        : httpStatus >= 400 && httpStatus < 500
                                ? Status.FAILED_PRECONDITION
                                : httpStatus >= 500 && httpStatus < 600 ? Status.INTERNAL : Status.UNKNOWN;
        };
    }

    /**
     * @param failure why a call failed, as thrown or as a future completed
     * @param otherwise the message of a failure that is not the caller's nor the model's, logged
     * @return the status to close the call with
     */
    static Status of(Throwable failure, String otherwise) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ServingException e) {
            return of(e.status()).withDescription(e.getMessage());
        }
        if (cause instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        LOG.error("gRPC call failed", cause);
        return Status.INTERNAL.withDescription(otherwise);
    }

    /**
     * @param failure why a call failed
     * @return the TorchServe error type for the REST API's JSON and the gRPC error details
     */
    static String type(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ServingException e ? e.type() : "InternalServerException";
    }
}
