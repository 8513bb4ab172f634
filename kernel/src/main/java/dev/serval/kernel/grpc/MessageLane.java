package dev.serval.kernel.grpc;

import com.google.protobuf.ByteString;
import dev.serval.kernel.http.ResponseBody;
import dev.serval.sdk.Response;
import dev.serval.serving.AnswerSink;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.pytorch.serve.grpc.inference.PredictionResponse;
import org.pytorch.serve.grpc.inference.PredictionsRequest;

/**
 * One request's answers on a gRPC stream: its handler's intermediate answers, one message each as
 * they come, then its final answer. A lane starts once the lane before it on the stream has sent
 * its final answer, so that a bidirectional stream answers its requests in order; its messages
 * are sent one at a time, and an intermediate answer counts as taken only once the client takes
 * messages again, so that a client that reads nothing holds no more than the worker's few
 * answers ahead.
 */
final class MessageLane implements AnswerSink {

    private final ServerCallStreamObserver<PredictionResponse> call;
    private final Readiness readiness;
    private final PredictionsRequest request;
    private final long maxResponseSize;
    /** The last message of this lane, sent or not; guarded by this. */
    private CompletableFuture<Void> tail;

    /**
     * @param call the stream
     * @param readiness when the stream's client takes messages
     * @param request the request answered, for its {@code sequence_id}
     * @param maxResponseSize {@code max_response_size}: the largest message's prediction, in bytes
     * @param after completed once the lane before this one has sent its last message
     */
    MessageLane(
            ServerCallStreamObserver<PredictionResponse> call,
            Readiness readiness,
            PredictionsRequest request,
            long maxResponseSize,
            CompletableFuture<Void> after) {
        this.call = call;
        this.readiness = readiness;
        this.request = request;
        this.maxResponseSize = maxResponseSize;
        this.tail = after;
    }

    @Override
    public CompletionStage<Void> send(Response answer) {
        if (call.isCancelled()) {
            return CompletableFuture.failedFuture(new IOException("The client cancelled the call"));
        }
        PredictionResponse message;
        try {
            message = message(answer);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return then(() -> call.onNext(message)).thenCompose(sent -> readiness.next());
    }

    /**
     * @param last what ends the lane: sends the final answer, or the call's error
     * @return completed once it has run, after every message before it; not run once the client is gone
     */
    synchronized CompletableFuture<Void> then(Runnable last) {
        tail = tail.thenRun(() -> {
            if (!call.isCancelled()) {
                last.run();
            }
        });
        return tail;
    }

    /** @return the message gRPC sends for {@code answer}: its prediction and the request's sequence id */
    PredictionResponse message(Response answer) {
        return message(request, answer, maxResponseSize);
    }

    /**
     * @param request the request answered
     * @param answer its handler's answer
     * @param maxResponseSize {@code max_response_size}: the largest prediction, in bytes
     * @return the message gRPC sends for {@code answer}: its prediction and the request's sequence id
     */
    static PredictionResponse message(PredictionsRequest request, Response answer, long maxResponseSize) {
        PredictionResponse.Builder message = PredictionResponse.newBuilder()
                .setPrediction(ByteString.copyFrom(ResponseBody.of(answer, maxResponseSize)));
        if (request.hasSequenceId()) {
            message.setSequenceId(request.getSequenceId());
        }
        return message.build();
    }

    /** When a stream's client takes messages: at once while it does, else once it does again. */
    static final class Readiness {
        private final ServerCallStreamObserver<PredictionResponse> call;
        /** Guarded by this. */
        private CompletableFuture<Void> waiting;

        Readiness(ServerCallStreamObserver<PredictionResponse> call) {
            this.call = call;
        }

        /** @return completed once the client takes messages, or the call is over */
        synchronized CompletableFuture<Void> next() {
            if (call.isReady() || call.isCancelled()) {
                return CompletableFuture.completedFuture(null);
            }
            if (waiting == null) {
                waiting = new CompletableFuture<>();
            }
            return waiting;
        }

        /** Called by gRPC when the client takes messages again, and when the call is cancelled. */
        void ready() {
            CompletableFuture<Void> due;
            synchronized (this) {
                due = waiting;
                waiting = null;
            }
            if (due != null) {
                due.complete(null);
            }
        }
    }
}
