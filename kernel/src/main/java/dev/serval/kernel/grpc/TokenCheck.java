package dev.serval.kernel.grpc;

import dev.serval.kernel.auth.Keys;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * Token authorization for one gRPC listener, as the REST API's: every call carries
 * {@code authorization: Bearer <key>} metadata with the listener's key, except the methods left
 * open (the health probe). A call without it is closed UNAUTHENTICATED with TorchServe's message
 * (TorchServe says PERMISSION_DENIED; the REST API answers 401, which TorchServe's own mapping
 * makes UNAUTHENTICATED).
 */
final class TokenCheck implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    private final Keys keys;
    private final Keys.Kind kind;
    private final Set<String> openMethods;

    /**
     * @param keys the server's keys
     * @param kind the key this listener takes
     * @param openMethods full method names answered without a key
     */
    TokenCheck(Keys keys, Keys.Kind kind, Set<String> openMethods) {
        this.keys = keys;
        this.kind = kind;
        this.openMethods = Set.copyOf(openMethods);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (!openMethods.contains(call.getMethodDescriptor().getFullMethodName())
                && !keys.acceptsBearer(kind, headers.get(AUTHORIZATION))) {
            call.close(Status.UNAUTHENTICATED.withDescription(Keys.REFUSED), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(call, headers);
    }
}
