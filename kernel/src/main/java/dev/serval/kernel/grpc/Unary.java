package dev.serval.kernel.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A unary call's answer: its one message, or the status of why there is none. */
final class Unary {

    private Unary() {}

    /**
     * Answers the call once {@code answer} completes. A call the client cancelled is answered no
     * more: with a cancel handler, gRPC drops what is sent after the cancel instead of throwing.
     *
     * @param observer the call
     * @param answer its message, or the failure to close it with
     * @param otherwise the message of a failure that is not the caller's nor the model's
     */
    static <T> void answer(StreamObserver<T> observer, CompletableFuture<T> answer, String otherwise) {
        ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
        call.setOnCancelHandler(() -> {});
        answer.whenComplete((message, failure) -> {
            if (call.isCancelled()) {
                return;
            }
            if (failure != null) {
                call.onError(GrpcStatus.of(failure, otherwise).asRuntimeException());
            } else {
                call.onNext(message);
                call.onCompleted();
            }
        });
    }

    /**
     * @param observer the call
     * @param answer makes its message now, or throws why it cannot
     */
    static <T> void answerNow(StreamObserver<T> observer, Supplier<T> answer) {
        CompletableFuture<T> message;
        try {
            message = CompletableFuture.completedFuture(answer.get());
        } catch (RuntimeException e) {
            message = CompletableFuture.failedFuture(e);
        }
        answer(observer, message, "The call failed");
    }
}
