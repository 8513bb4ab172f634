package dev.serval.kernel.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.http.ApiServer;
import dev.serval.kernel.http.ResponseBody;
import dev.serval.kernel.kserve.InferRequest;
import dev.serval.kernel.kserve.Inference;
import dev.serval.kernel.kserve.ModelMetadata;
import dev.serval.kernel.manage.Health;
import dev.serval.sdk.Response;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServerVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.Signature;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ModelReadyResponse;
import inference.GrpcPredictV2.ServerLiveRequest;
import inference.GrpcPredictV2.ServerLiveResponse;
import inference.GrpcPredictV2.ServerMetadataRequest;
import inference.GrpcPredictV2.ServerMetadataResponse;
import inference.GrpcPredictV2.ServerReadyRequest;
import inference.GrpcPredictV2.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * KServe's Open Inference Protocol over gRPC ({@code inference.GRPCInferenceService}, the
 * protocol's own package, so that KServe's and Triton's stubs call it): the same health, metadata
 * and inference as the REST binding ({@link dev.serval.kernel.http.KServeApi}), through the same
 * {@link Inference}, with its tensors in the protocol's messages ({@link OipMessages}).
 */
final class OipService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    /**
     * The server's probes, answered without a key as the REST binding's {@code /v2/health/*} are.
     * {@code ModelReady} takes the key, as REST's {@code /v2/models/{m}/ready} does: it tells which
     * model names are served.
     */
    static final Set<String> OPEN = Set.of(
            GRPCInferenceServiceGrpc.getServerLiveMethod().getFullMethodName(),
            GRPCInferenceServiceGrpc.getServerReadyMethod().getFullMethodName());

    /** How the worker hands the answer's message over: serialized, while the engine's outputs are open. */
    private static final String PROTOBUF = "application/x-protobuf";

    private final Catalog catalog;
    private final Supplier<Health> health;
    private final long maxResponseSize;
    private final Executor answers;

    /**
     * @param catalog the models to serve
     * @param health the start-up models' readiness, now: the server's readiness, as {@code /ping}'s
     * @param maxResponseSize {@code max_response_size}: the largest answer sent, in bytes
     * @param answers where answers are made into messages, so that a worker goes straight back to its model
     */
    OipService(Catalog catalog, Supplier<Health> health, long maxResponseSize, Executor answers) {
        this.catalog = catalog;
        this.health = health;
        this.maxResponseSize = maxResponseSize;
        this.answers = answers;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        Unary.answerNow(
                observer, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    /** Ready when {@code /ping} is healthy: every start-up model has its minimum workers READY. */
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        Unary.answerNow(
                observer,
                () -> ServerReadyResponse.newBuilder()
                        .setReady(health.get().healthy())
                        .build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        Unary.answerNow(
                observer,
                () -> ModelReadyResponse.newBuilder()
                        .setReady(
                                resolve(request.getName(), request.getVersion()).ready())
                        .build());
    }

    /** The REST binding's {@code binary_tensor_data} is REST's own: gRPC's raw contents are the protocol's core. */
    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        Unary.answerNow(
                observer,
                () -> ServerMetadataResponse.newBuilder()
                        .setName("serval")
                        .setVersion(ServerVersion.CURRENT)
                        .build());
    }

    /** As the REST binding's: a type or shape the model does not say is left out (empty), not guessed. */
    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        Unary.answerNow(observer, () -> {
            ModelVersion version = resolve(request.getName(), request.getVersion());
            Signature signature = version.signature();
            ModelMetadataResponse.Builder metadata = ModelMetadataResponse.newBuilder()
                    .setName(version.name())
                    .setPlatform(ModelMetadata.platform(version.engine()));
            catalog.versions(version.name()).forEach(v -> metadata.addVersions(v.version()));
            signature.inputs().orElse(List.of()).forEach(tensor -> metadata.addInputs(tensor(tensor)));
            signature.outputs().orElse(List.of()).forEach(tensor -> metadata.addOutputs(tensor(tensor)));
            return metadata.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensor(Signature.Tensor tensor) {
        ModelMetadataResponse.TensorMetadata.Builder metadata =
                ModelMetadataResponse.TensorMetadata.newBuilder().setName(tensor.name());
        tensor.datatype().ifPresent(datatype -> metadata.setDatatype(datatype.name()));
        tensor.shape().ifPresent(shape -> {
            for (long dim : shape) {
                metadata.addShape(dim);
            }
        });
        return metadata.build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        Unary.answer(observer, infer(request), "Inference failed");
    }

    private CompletableFuture<ModelInferResponse> infer(ModelInferRequest request) {
        try {
            if (request.getModelName().isEmpty()) {
                throw InferRequest.invalid("Field model_name is required");
            }
            InferRequest tensors = OipMessages.request(request);
            boolean raw = OipMessages.raw(request);
            return catalog.submit(
                            request.getModelName(),
                            version(request.getModelVersion()),
                            version -> Inference.run(
                                    tensors,
                                    version,
                                    answer -> Response.bytes(
                                            OipMessages.answer(answer, raw).toByteArray(), PROTOBUF),
                                    ApiServer.JSON))
                    .thenApplyAsync(this::message, answers);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @throws ServingException 507 when the answer is larger than {@code max_response_size} */
    private ModelInferResponse message(Response response) {
        try {
            return ModelInferResponse.parseFrom(ResponseBody.of(response, maxResponseSize));
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ModelVersion resolve(String name, String version) {
        return catalog.resolve(name, version(version));
    }

    /** The protocol's empty version: the server's choice, the default one. */
    private static Optional<String> version(String version) {
        return Optional.of(version).filter(v -> !v.isEmpty());
    }
}
