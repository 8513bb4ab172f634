package dev.serval.kernel.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per gRPC call, refused ones included, under the REST APIs' access logger
 * {@code dev.serval.access} (TorchServe logs its gRPC calls to its access log too): listener,
 * client, method, status code and time.
 */
final class CallLog implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger("dev.serval.access");

    private final String listener;
    private final AtomicInteger open;

    /**
     * @param listener the listener's name
     * @param open counts the calls begun and not yet ended, completed or cancelled
     */
    CallLog(String listener, AtomicInteger open) {
        this.listener = listener;
        this.open = open;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        long start = System.nanoTime();
        open.incrementAndGet();
        ServerCall.Listener<Q> handling = next.startCall(
                new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void close(Status status, Metadata trailers) {
                        if (LOG.isInfoEnabled()) {
                            LOG.info(
                                    "{} {} \"{}\" {} {} ms",
                                    listener,
                                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                                    call.getMethodDescriptor().getFullMethodName(),
                                    status.getCode(),
                                    Math.round((System.nanoTime() - start) / 100_000.0) / 10.0);
                        }
                        super.close(status, trailers);
                    }
                },
                headers);
        // Exactly one of the two ends every call.
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(handling) {
            @Override
            public void onComplete() {
                open.decrementAndGet();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                open.decrementAndGet();
                super.onCancel();
            }
        };
    }
}
