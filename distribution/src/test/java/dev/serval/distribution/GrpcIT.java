package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.pytorch.serve.grpc.inference.InferenceAPIsServiceGrpc;
import org.pytorch.serve.grpc.inference.PredictionResponse;
import org.pytorch.serve.grpc.inference.PredictionsRequest;
import org.pytorch.serve.grpc.management.DescribeModelRequest;
import org.pytorch.serve.grpc.management.ListModelsRequest;
import org.pytorch.serve.grpc.management.ManagementAPIsServiceGrpc;
import org.pytorch.serve.grpc.management.RegisterModelRequest;
import org.pytorch.serve.grpc.management.ScaleWorkerRequest;
import org.pytorch.serve.grpc.management.SetDefaultRequest;
import org.pytorch.serve.grpc.management.UnregisterModelRequest;

/**
 * TorchServe's gRPC APIs over real gRPC against the built distribution, with stubs generated from
 * TorchServe's own {@code inference.proto} and {@code management.proto}: predictions equal to the
 * REST API's and to PyTorch's reference numbers, the three streaming shapes, every management
 * call with its errors, keys, and the message size limit.
 */
class GrpcIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST_SIZE = 100_000;

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static final List<ManagedChannel> CHANNELS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("extra.mar"), "extra", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("extra_v2.mar"), "extra", "2.0", "convnet_digits.onnx", "image_classifier");
        Files.copy(ServerProcess.DIST.resolve("model-store/reviews_distilbert.mar"), store.resolve("reviews.mar"));
        server = ServerProcess.start(
                Files.createDirectories(root.resolve("server")),
                store,
                "load_models=digits.mar,reviews=reviews.mar",
                "enable_model_api=true",
                "max_request_size=" + MAX_REQUEST_SIZE);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ManagedChannel channel : CHANNELS) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.close();
    }

    private static ManagedChannel channel(int port) {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        CHANNELS.add(channel);
        return channel;
    }

    /** @return the stub, carrying {@code authorization: Bearer <key>} */
    private static <S extends AbstractStub<S>> S withKey(S stub, String key) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    private static InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub inference(ServerProcess on) {
        return withKey(InferenceAPIsServiceGrpc.newBlockingStub(channel(on.grpcInferencePort)), on.key("inference"));
    }

    private static ManagementAPIsServiceGrpc.ManagementAPIsServiceBlockingStub management(ServerProcess on) {
        return withKey(ManagementAPIsServiceGrpc.newBlockingStub(channel(on.grpcManagementPort)), on.key("management"));
    }

    private static PredictionsRequest predict(String model, byte[] data) {
        return PredictionsRequest.newBuilder()
                .setModelName(model)
                .putInput("data", ByteString.copyFrom(data))
                .build();
    }

    private static Status refused(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    @Test
    void pingAndTheHealthServiceAnswerTheRestHealthWithoutAKey() throws Exception {
        assertEquals(
                HealthCheckResponse.ServingStatus.SERVING,
                HealthGrpc.newBlockingStub(channel(server.grpcInferencePort))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance())
                        .getStatus());
        String health = InferenceAPIsServiceGrpc.newBlockingStub(channel(server.grpcInferencePort))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .ping(Empty.getDefaultInstance())
                .getHealth();
        assertEquals(JSON.readTree(server.get(server.inferencePort, "/ping").body()), JSON.readTree(health));
        assertEquals("Healthy", JSON.readTree(health).get("status").asText());
    }

    @Test
    void everyReferenceReviewIsClassifiedAsByPyTorchAndAsOverRest() throws Exception {
        InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub stub = inference(server);
        List<String> labels = List.of("negative", "neutral", "positive");
        double maxDiff = 0;
        int checked = 0;
        for (JsonNode testCase : JSON.readTree(
                        Archives.REVIEWS.resolve("reference.json").toFile())
                .get("cases")) {
            byte[] text = testCase.get("text").asText().getBytes(StandardCharsets.UTF_8);
            String answer =
                    stub.predictions(predict("reviews", text)).getPrediction().toStringUtf8();
            HttpResponse<String> rest = server.postText("/predictions/reviews", text, "text/plain");
            assertEquals(200, rest.statusCode(), rest.body());
            assertEquals(rest.body(), answer, testCase.get("text").asText());

            JsonNode probabilities = JSON.readTree(answer);
            assertEquals(
                    testCase.get("pred").asText(), probabilities.fieldNames().next(), answer);
            double[] expected = Reference.softmax(testCase.get("logits"));
            for (int label = 0; label < labels.size(); label++) {
                maxDiff = Math.max(
                        maxDiff,
                        Math.abs(expected[label]
                                - probabilities.get(labels.get(label)).asDouble()));
            }
            checked++;
        }
        assertEquals(25, checked);
        assertTrue(maxDiff <= 1e-4, "max probability difference from PyTorch " + maxDiff);
    }

    @Test
    void everyReferenceDigitMatchesPyTorchAndTheRestAnswer() throws Exception {
        InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub stub = inference(server);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonNode testCase : Reference.cases(Archives.DIGITS)) {
            String file = testCase.get("file").asText();
            byte[] input = Reference.input(Archives.DIGITS, testCase);
            byte[] answer =
                    stub.predictions(predict("digits", input)).getPrediction().toByteArray();
            HttpResponse<String> rest = server.predict("/predictions/digits", input, "PUT");
            assertEquals(200, rest.statusCode(), file + ": " + rest.body());
            assertEquals(rest.body(), new String(answer, StandardCharsets.UTF_8), file);

            failures.addAll(Reference.digitMismatches(testCase, JSON.readTree(answer)));
            checked++;
        }
        assertEquals(40, checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void streamPredictionsSendsTheOneFinalAnswer() throws Exception {
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        ByteString unary =
                inference(server).predictions(predict("digits", digit)).getPrediction();

        List<PredictionResponse> stream = new ArrayList<>();
        inference(server).streamPredictions(predict("digits", digit)).forEachRemaining(stream::add);
        assertEquals(1, stream.size());
        assertEquals(unary, stream.get(0).getPrediction());
    }

    @Test
    void streamPredictions2AnswersEachRequestInOrder() throws Exception {
        List<JsonNode> cases = Reference.cases(Archives.DIGITS);
        List<ByteString> expected = new ArrayList<>();
        CompletableFuture<List<PredictionResponse>> done = new CompletableFuture<>();
        List<PredictionResponse> received = new ArrayList<>();
        StreamObserver<PredictionsRequest> requests = withKey(
                        InferenceAPIsServiceGrpc.newStub(channel(server.grpcInferencePort)), server.key("inference"))
                .streamPredictions2(new StreamObserver<>() {
                    @Override
                    public void onNext(PredictionResponse value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(received);
                    }
                });
        for (int i = 0; i < 6; i++) {
            byte[] input = Reference.input(Archives.DIGITS, cases.get(i));
            expected.add(inference(server).predictions(predict("digits", input)).getPrediction());
            requests.onNext(predict("digits", input).toBuilder()
                    .setSequenceId("seq-" + i)
                    .build());
        }
        requests.onNext(predict("no_such_model", new byte[1]).toBuilder()
                .setSequenceId("seq-6")
                .build());
        requests.onCompleted();

        List<PredictionResponse> answers = done.get(60, TimeUnit.SECONDS);
        assertEquals(7, answers.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(expected.get(i), answers.get(i).getPrediction(), "answer " + i);
            assertEquals("seq-" + i, answers.get(i).getSequenceId());
        }
        // A failed request is answered in its turn, and the stream goes on, as in TorchServe.
        assertEquals(Status.Code.NOT_FOUND.value(), answers.get(6).getStatus().getCode());
        assertEquals(
                "Model not found: no_such_model", answers.get(6).getStatus().getMessage());
    }

    @Test
    void anUnknownModelIsNotFound() {
        Status status = refused(() -> inference(server).predictions(predict("no_such_model", new byte[1])));
        assertEquals(Status.Code.NOT_FOUND, status.getCode());
        assertEquals("Model not found: no_such_model", status.getDescription());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> inference(server)
                                .predictions(predict("digits", new byte[1]).toBuilder()
                                        .setModelVersion("9.9")
                                        .build()))
                        .getCode());
    }

    @Test
    void aMessageOverMaxRequestSizeIsRefused() {
        Status status = refused(() -> inference(server).predictions(predict("digits", new byte[MAX_REQUEST_SIZE + 1])));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
    }

    @Test
    void callsWithoutTheirListenersKeyAreRefused() {
        byte[] digit = new byte[1];
        InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub bare = InferenceAPIsServiceGrpc.newBlockingStub(
                        channel(server.grpcInferencePort))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        for (Executable call : List.<Executable>of(
                () -> bare.predictions(predict("digits", digit)),
                () -> withKey(bare, "wrong").predictions(predict("digits", digit)),
                () -> withKey(bare, server.key("management")).predictions(predict("digits", digit)),
                () -> withKey(
                                ManagementAPIsServiceGrpc.newBlockingStub(channel(server.grpcManagementPort)),
                                server.key("inference"))
                        .listModels(ListModelsRequest.getDefaultInstance()))) {
            Status status = refused(call);
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
            assertEquals(
                    "Token Authorization failed. Token either incorrect, expired, or not provided correctly",
                    status.getDescription());
        }
    }

    @Test
    void everyManagementCallAnswersAsTorchServe() throws Exception {
        ManagementAPIsServiceGrpc.ManagementAPIsServiceBlockingStub stub = management(server);

        assertEquals(
                "Model \"extra\" Version: 1.0 registered with 1 initial workers",
                stub.registerModel(RegisterModelRequest.newBuilder()
                                .setUrl("extra.mar")
                                .setInitialWorkers(1)
                                .setSynchronous(true)
                                .build())
                        .getMsg());
        assertEquals(
                "Processing worker updates...",
                stub.registerModel(RegisterModelRequest.newBuilder()
                                .setUrl("extra_v2.mar")
                                .setInitialWorkers(1)
                                .build())
                        .getMsg());
        assertEquals(
                Status.Code.ABORTED,
                refused(() -> stub.registerModel(RegisterModelRequest.newBuilder()
                                .setUrl("extra.mar")
                                .build()))
                        .getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.registerModel(RegisterModelRequest.newBuilder()
                                .setUrl("missing.mar")
                                .build()))
                        .getCode());
        Status notAllowed = refused(() -> stub.registerModel(RegisterModelRequest.newBuilder()
                .setUrl("https://example.com/digits.mar")
                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, notAllowed.getCode(), notAllowed.toString());

        JsonNode list = JSON.readTree(
                stub.listModels(ListModelsRequest.getDefaultInstance()).getMsg());
        assertEquals(JSON.readTree(server.get(server.managementPort, "/models").body()), list);
        assertEquals(3, list.get("models").size()); // digits, reviews, extra
        JsonNode page = JSON.readTree(
                stub.listModels(ListModelsRequest.newBuilder().setLimit(1).build())
                        .getMsg());
        assertEquals("1", page.get("nextPageToken").asText());

        JsonNode described = JSON.readTree(stub.describeModel(DescribeModelRequest.newBuilder()
                        .setModelName("extra")
                        .setModelVersion("all")
                        .build())
                .getMsg());
        assertEquals(2, described.size());
        assertEquals("extra", described.get(0).get("modelName").asText());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.describeModel(DescribeModelRequest.newBuilder()
                                .setModelName("no_such_model")
                                .build()))
                        .getCode());

        assertEquals(
                "Workers scaled to 2 for model: extra, version: 2.0",
                stub.scaleWorker(ScaleWorkerRequest.newBuilder()
                                .setModelName("extra")
                                .setModelVersion("2.0")
                                .setMinWorker(2)
                                .setSynchronous(true)
                                .build())
                        .getMsg());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.scaleWorker(ScaleWorkerRequest.newBuilder()
                                .setModelName("no_such_model")
                                .build()))
                        .getCode());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                refused(() -> stub.scaleWorker(ScaleWorkerRequest.newBuilder()
                                .setModelName("extra")
                                .setMinWorker(3)
                                .setMaxWorker(2)
                                .build()))
                        .getCode());

        assertEquals(
                "Default version successfully updated for model \"extra\" to \"2.0\"",
                stub.setDefault(SetDefaultRequest.newBuilder()
                                .setModelName("extra")
                                .setModelVersion("2.0")
                                .build())
                        .getMsg());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.setDefault(SetDefaultRequest.newBuilder()
                                .setModelName("extra")
                                .setModelVersion("9.9")
                                .build()))
                        .getCode());

        assertEquals(
                "Model \"extra\" unregistered",
                stub.unregisterModel(UnregisterModelRequest.newBuilder()
                                .setModelName("extra")
                                .setModelVersion("1.0")
                                .build())
                        .getMsg());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.unregisterModel(UnregisterModelRequest.newBuilder()
                                .setModelName("extra")
                                .setModelVersion("1.0")
                                .build()))
                        .getCode());
        assertEquals(
                "Model \"extra\" unregistered",
                stub.unregisterModel(UnregisterModelRequest.newBuilder()
                                .setModelName("extra")
                                .build())
                        .getMsg());
    }

    @Test
    void withTheModelApiDisabledRegisterAndUnregisterAreRefused() throws Exception {
        Path other = Files.createDirectories(root.resolve("disabled"));
        try (ServerProcess disabled = ServerProcess.start(other, Files.createDirectories(other.resolve("store")))) {
            ManagementAPIsServiceGrpc.ManagementAPIsServiceBlockingStub stub = management(disabled);
            for (Executable call : List.<Executable>of(
                    () -> stub.registerModel(RegisterModelRequest.newBuilder()
                            .setUrl("digits.mar")
                            .build()),
                    () -> stub.unregisterModel(UnregisterModelRequest.newBuilder()
                            .setModelName("digits")
                            .build()))) {
                Status status = refused(call);
                assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
                assertTrue(status.getDescription().startsWith("Model API is disabled"), status.getDescription());
            }
            assertEquals(
                    "{\"models\":[]}",
                    JSON.readTree(stub.listModels(ListModelsRequest.getDefaultInstance())
                                    .getMsg())
                            .toString());
        }
    }
}
