package dev.serval.kernel.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.serval.serving.ServingException;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Failures as TorchServe's gRPC status codes, and the input TorchServe's handlers read. */
class GrpcStatusTest {

    @Test
    void restStatusesMapAsTorchServeMapsThem() {
        assertEquals(Status.Code.INVALID_ARGUMENT, GrpcStatus.of(400).getCode());
        assertEquals(Status.Code.NOT_FOUND, GrpcStatus.of(404).getCode());
        assertEquals(Status.Code.ABORTED, GrpcStatus.of(409).getCode());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatus.of(413).getCode());
        assertEquals(Status.Code.UNAVAILABLE, GrpcStatus.of(503).getCode());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, GrpcStatus.of(504).getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, GrpcStatus.of(408).getCode());
        assertEquals(Status.Code.INTERNAL, GrpcStatus.of(500).getCode());
        // Serval's own: a disabled model API as TorchServe's gRPC answers it, an answer too large as gRPC's limits.
        assertEquals(Status.Code.PERMISSION_DENIED, GrpcStatus.of(405).getCode());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, GrpcStatus.of(507).getCode());
    }

    @Test
    void aFailureKeepsItsMessageAndAnUnexpectedOneSaysNothingOfItself() {
        Status notFound = GrpcStatus.of(new CompletionException(ServingException.modelNotFound("x")), "failed");
        assertEquals(Status.Code.NOT_FOUND, notFound.getCode());
        assertEquals("Model not found: x", notFound.getDescription());
        assertEquals(
                "ModelNotFoundException",
                GrpcStatus.type(new CompletionException(ServingException.modelNotFound("x"))));

        Status internal = GrpcStatus.of(new IllegalStateException("a secret path"), "Prediction failed");
        assertEquals(Status.Code.INTERNAL, internal.getCode());
        assertEquals("Prediction failed", internal.getDescription());
    }

    @Test
    void theInputIsDataElseBodyElseTheFirstEntry() {
        assertArrayEquals(
                bytes("d"),
                InferenceService.toRequest(Map.of("body", text("b"), "data", text("d")))
                        .body());
        assertArrayEquals(
                bytes("b"),
                InferenceService.toRequest(Map.of("z", text("z"), "body", text("b")))
                        .body());
        assertArrayEquals(
                bytes("a"),
                InferenceService.toRequest(Map.of("z", text("z"), "a", text("a")))
                        .body());
        assertArrayEquals(new byte[0], InferenceService.toRequest(Map.of()).body());
    }

    private static ByteString text(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
