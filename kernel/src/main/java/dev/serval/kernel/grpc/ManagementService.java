package dev.serval.kernel.grpc;

import dev.serval.kernel.manage.ManagementCalls;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import org.pytorch.serve.grpc.management.DescribeModelRequest;
import org.pytorch.serve.grpc.management.ListModelsRequest;
import org.pytorch.serve.grpc.management.ManagementAPIsServiceGrpc;
import org.pytorch.serve.grpc.management.ManagementResponse;
import org.pytorch.serve.grpc.management.RegisterModelRequest;
import org.pytorch.serve.grpc.management.ScaleWorkerRequest;
import org.pytorch.serve.grpc.management.SetDefaultRequest;
import org.pytorch.serve.grpc.management.UnregisterModelRequest;

/**
 * TorchServe's gRPC management API ({@code management.proto}): the REST API's calls with the same
 * rules ({@code enable_model_api}, {@code allowed_urls}), answering in {@code msg} what TorchServe
 * answers there: the JSON of a describe or list, the status message of the others. A field left
 * at its default (0, empty) is a parameter not given, as TorchServe reads them.
 */
final class ManagementService extends ManagementAPIsServiceGrpc.ManagementAPIsServiceImplBase {

    /** TorchServe's page size when none is given. */
    private static final int DEFAULT_LIMIT = 100;

    private final ManagementCalls calls;

    /**
     * @param calls the management calls, with their rules
     */
    ManagementService(ManagementCalls calls) {
        this.calls = calls;
    }

    /** One call, answering its message. */
    private interface Call {
        String run() throws InterruptedException;
    }

    @Override
    public void describeModel(DescribeModelRequest request, StreamObserver<ManagementResponse> observer) {
        answer(
                observer,
                () -> Json.text(calls.describe(
                        request.getModelName(), given(request.getModelVersion()), request.getCustomized())));
    }

    @Override
    public void listModels(ListModelsRequest request, StreamObserver<ManagementResponse> observer) {
        int limit = request.getLimit() == 0 ? DEFAULT_LIMIT : request.getLimit();
        answer(observer, () -> Json.text(calls.list(limit, request.getNextPageToken())));
    }

    @Override
    public void registerModel(RegisterModelRequest request, StreamObserver<ManagementResponse> observer) {
        ManagementCalls.Arguments args = new GivenArguments(
                Map.of(
                        "url",
                        request.getUrl(),
                        "model_name",
                        request.getModelName(),
                        "handler",
                        request.getHandler(),
                        "runtime",
                        request.getRuntime()),
                Map.of(
                        "batch_size",
                        request.getBatchSize(),
                        "max_batch_delay",
                        request.getMaxBatchDelay(),
                        "response_timeout",
                        request.getResponseTimeout(),
                        "startup_timeout",
                        request.getStartupTimeout(),
                        "initial_workers",
                        request.getInitialWorkers()));
        answer(observer, () -> calls.register(args, request.getSynchronous()).message());
    }

    @Override
    public void scaleWorker(ScaleWorkerRequest request, StreamObserver<ManagementResponse> observer) {
        ManagementCalls.Arguments args = new GivenArguments(
                Map.of(), Map.of("min_worker", request.getMinWorker(), "max_worker", request.getMaxWorker()));
        answer(
                observer,
                () -> calls.scale(
                                request.getModelName(),
                                given(request.getModelVersion()),
                                args,
                                request.getSynchronous())
                        .message());
    }

    @Override
    public void setDefault(SetDefaultRequest request, StreamObserver<ManagementResponse> observer) {
        answer(
                observer,
                () -> calls.setDefault(request.getModelName(), request.getModelVersion())
                        .message());
    }

    @Override
    public void unregisterModel(UnregisterModelRequest request, StreamObserver<ManagementResponse> observer) {
        answer(
                observer,
                () -> calls.unregister(request.getModelName(), given(request.getModelVersion()))
                        .message());
    }

    private static Optional<String> given(String version) {
        return Optional.of(version).filter(v -> !v.isEmpty());
    }

    /** Runs the call on this thread (the management listener's executor) and answers it. */
    private static void answer(StreamObserver<ManagementResponse> observer, Call call) {
        String message;
        try {
            message = call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observer.onError(
                    Status.CANCELLED.withDescription("The server is stopping").asRuntimeException());
            return;
        } catch (RuntimeException e) {
            observer.onError(GrpcStatus.of(e, "Internal server error").asRuntimeException());
            return;
        }
        observer.onNext(ManagementResponse.newBuilder().setMsg(message).build());
        observer.onCompleted();
    }

    /**
     * A gRPC request's parameters: proto3 cannot tell a field left out from one set to its
     * default, so an empty text or a number below 1 is one not given (TorchServe's
     * {@code GRPCUtils.getRegisterParam}).
     */
    private record GivenArguments(Map<String, String> texts, Map<String, Integer> integers)
            implements ManagementCalls.Arguments {
        @Override
        public Optional<String> text(String name) {
            return Optional.ofNullable(texts.get(name)).filter(v -> !v.isBlank());
        }

        @Override
        public Optional<Integer> integer(String name) {
            return Optional.ofNullable(integers.get(name)).filter(v -> v > 0);
        }
    }
}
