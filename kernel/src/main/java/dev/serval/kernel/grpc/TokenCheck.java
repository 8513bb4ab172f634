package dev.serval.kernel.grpc;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Token authorization for one gRPC listener, as the REST API's: every call carries
 * {@code authorization: Bearer <key>} metadata with the listener's key, except the methods left
 * open (the health probe). A call without it is closed UNAUTHENTICATED with TorchServe's message
 * (TorchServe says PERMISSION_DENIED; the REST API answers 401, which TorchServe's own mapping
 * makes UNAUTHENTICATED).
 */
final class TokenCheck implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final KeyRule rule;

    /**
     * @param rule the key this listener takes, and the full method names answered without one
     */
    TokenCheck(KeyRule rule) {
        this.rule = rule;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (!rule.admits(call.getMethodDescriptor().getFullMethodName(), headers.get(AUTHORIZATION))) {
            call.close(Status.UNAUTHENTICATED.withDescription(Keys.REFUSED), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
