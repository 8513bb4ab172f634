package dev.serval.kernel.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.rpc.ErrorInfo;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.manage.Health;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.pytorch.serve.grpc.inference.InferenceAPIsServiceGrpc;
import org.pytorch.serve.grpc.inference.PredictionResponse;
import org.pytorch.serve.grpc.inference.PredictionsRequest;
import org.pytorch.serve.grpc.inference.TorchServeHealthResponse;

/**
 * TorchServe's gRPC inference API ({@code inference.proto}): the REST API's {@code /ping} and
 * {@code /predictions} over gRPC, through the same catalog and workers, answering the same bytes.
 */
final class InferenceService extends InferenceAPIsServiceGrpc.InferenceAPIsServiceImplBase {

    /** The health probe's full method name, answered without a key as {@code /ping} is. */
    static final String PING = InferenceAPIsServiceGrpc.getPingMethod().getFullMethodName();

    /** The requests of one bidirectional stream predicted side by side. */
    private static final int IN_FLIGHT = 8;

    /** The input entries a TorchServe handler reads, in its order of preference. */
    private static final List<String> INPUT_NAMES = List.of("data", "body");

    private final Catalog catalog;
    private final Supplier<Health> health;
    private final long maxResponseSize;
    private final Executor answers;

    /**
     * @param catalog the models to serve
     * @param health the start-up models' readiness, now
     * @param maxResponseSize {@code max_response_size}: the largest prediction sent, in bytes
     * @param answers where answers are made into messages, so that a worker goes straight back
     *     to its model
     */
    InferenceService(Catalog catalog, Supplier<Health> health, long maxResponseSize, Executor answers) {
        this.catalog = catalog;
        this.health = health;
        this.maxResponseSize = maxResponseSize;
        this.answers = answers;
    }

    /** TorchServe's answer: {@code health} is the REST API's {@code /ping} JSON, whatever the status. */
    @Override
    public void ping(Empty request, StreamObserver<TorchServeHealthResponse> observer) {
        observer.onNext(TorchServeHealthResponse.newBuilder()
                .setHealth(Json.text(health.get().answer()))
                .build());
        observer.onCompleted();
    }

    @Override
    public void predictions(PredictionsRequest request, StreamObserver<PredictionResponse> observer) {
        Unary.answer(observer, predict(request), "Prediction failed");
    }

    /**
     * Server streaming: each intermediate answer the handler sends (its
     * {@link dev.serval.sdk.ResponseStream}) as one message as it comes, then its final answer,
     * which ends the stream; a failure ends it with the failure's status.
     */
    @Override
    public void streamPredictions(PredictionsRequest request, StreamObserver<PredictionResponse> observer) {
        ServerCallStreamObserver<PredictionResponse> call = (ServerCallStreamObserver<PredictionResponse>) observer;
        MessageLane.Readiness readiness = new MessageLane.Readiness(call);
        call.setOnCancelHandler(readiness::ready);
        call.setOnReadyHandler(readiness::ready);
        MessageLane lane =
                new MessageLane(call, readiness, request, maxResponseSize, CompletableFuture.completedFuture(null));
        predict(request, (version, input) -> version.submit(input, lane))
                .thenApplyAsync(lane::message, answers)
                .whenComplete((answer, failure) -> lane.then(() -> {
                    if (failure != null) {
                        call.onError(GrpcStatus.of(failure, "Prediction failed").asRuntimeException());
                    } else {
                        call.onNext(answer);
                        call.onCompleted();
                    }
                }));
    }

    /**
     * Bidirectional streaming: each request is answered in the order it came, its intermediate
     * answers first, as {@link #streamPredictions} sends them, and a failed one by a message
     * carrying its {@code status} (as TorchServe does), so that the stream goes on. Up to
     * {@link #IN_FLIGHT} requests are predicted side by side; the next one is read only once an
     * answer has been sent and the client takes answers, so that a client that sends without
     * reading holds a bounded number of them. A request's intermediate answers wait for the
     * requests before it to be answered.
     */
    @Override
    public StreamObserver<PredictionsRequest> streamPredictions2(StreamObserver<PredictionResponse> observer) {
        ServerCallStreamObserver<PredictionResponse> call = (ServerCallStreamObserver<PredictionResponse>) observer;
        Credits credits = new Credits(call);
        MessageLane.Readiness readiness = new MessageLane.Readiness(call);
        call.setOnCancelHandler(readiness::ready);
        call.disableAutoRequest();
        call.setOnReadyHandler(() -> {
            credits.pay();
            readiness.ready();
        });
        call.request(IN_FLIGHT);
        return new StreamObserver<>() {
            /** The answers sent so far, in order: gRPC calls onNext and onCompleted one at a time. */
            private CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);

            @Override
            public void onNext(PredictionsRequest request) {
                MessageLane lane = new MessageLane(call, readiness, request, maxResponseSize, sent);
                CompletableFuture<PredictionResponse> answer = predict(request, (v, input) -> v.submit(input, lane))
                        .thenApplyAsync(lane::message, answers)
                        .exceptionally(failure -> failed(request, failure));
                sent = answer.thenCompose(message -> lane.then(() -> {
                    call.onNext(message);
                    credits.owe();
                }));
            }

            @Override
            public void onError(Throwable t) {
                // The client cancelled: there is no one left to answer.
            }

            @Override
            public void onCompleted() {
                sent.thenRun(() -> {
                    if (!call.isCancelled()) {
                        call.onCompleted();
                    }
                });
            }
        };
    }

    /**
     * The requests a stream may read for the answers it has sent: paid at once while the client
     * takes answers, else once it does again.
     */
    private static final class Credits {
        private final ServerCallStreamObserver<PredictionResponse> call;
        private final AtomicInteger owed = new AtomicInteger();

        Credits(ServerCallStreamObserver<PredictionResponse> call) {
            this.call = call;
        }

        void owe() {
            owed.incrementAndGet();
            // Checked after the count: a client that became ready meanwhile is paid here or by pay().
            if (call.isReady()) {
                pay();
            }
        }

        void pay() {
            int due = owed.getAndSet(0);
            if (due > 0) {
                call.request(due);
            }
        }
    }

    private static PredictionResponse failed(PredictionsRequest request, Throwable failure) {
        Status status = GrpcStatus.of(failure, "Prediction failed");
        com.google.rpc.Status.Builder error = com.google.rpc.Status.newBuilder()
                .setCode(status.getCode().value())
                .setMessage(Objects.requireNonNullElse(status.getDescription(), ""))
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(GrpcStatus.type(failure))
                        .build()));
        PredictionResponse.Builder message = PredictionResponse.newBuilder().setStatus(error);
        if (request.hasSequenceId()) {
            message.setSequenceId(request.getSequenceId());
        }
        return message.build();
    }

    /**
     * @return the request's answer: what the handler answered, as the REST API would send it;
     *     failed as the REST API would refuse it
     */
    private CompletableFuture<PredictionResponse> predict(PredictionsRequest request) {
        return predict(request, ModelVersion::submit)
                .thenApplyAsync(response -> MessageLane.message(request, response, maxResponseSize), answers);
    }

    /**
     * @param submit queues the handler's request with the version the request names
     * @return what the handler answered; failed as the REST API would refuse the request
     */
    private CompletableFuture<Response> predict(
            PredictionsRequest request, BiFunction<ModelVersion, Request, CompletableFuture<Response>> submit) {
        try {
            if (request.getModelName().isEmpty()) {
                throw new ServingException(400, "BadRequestException", "Parameter model_name is required.");
            }
            Optional<String> version = Optional.of(request.getModelVersion()).filter(v -> !v.isEmpty());
            Request input = toRequest(request.getInputMap());
            return catalog.submit(request.getModelName(), version, v -> submit.apply(v, input));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The input as TorchServe's handlers choose it from the request's map: the entry named
     * {@code data}, else {@code body}, else the first by name.
     */
    static Request toRequest(Map<String, ByteString> input) {
        ByteString chosen = INPUT_NAMES.stream()
                .map(input::get)
                .filter(Objects::nonNull)
                .findFirst()
                .orElseGet(
                        () -> new TreeMap<>(input).values().stream().findFirst().orElse(ByteString.EMPTY));
        return Request.builder(chosen.toByteArray()).build();
    }
}
