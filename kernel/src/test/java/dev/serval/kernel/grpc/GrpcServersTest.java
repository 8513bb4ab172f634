package dev.serval.kernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.serval.kernel.TestKeystore;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.manage.Snapshot;
import dev.serval.serving.Deadlines;
import dev.serval.serving.ModelLoader;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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
import org.pytorch.serve.grpc.management.UnregisterModelRequest;

/**
 * The two gRPC listeners as the server starts them, without models or engines: keys, limits,
 * errors as TorchServe's status codes, and the threads a stop leaves.
 */
class GrpcServersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GrpcServers servers;
    private ModelManager manager;
    private Keys keys;
    private final List<ManagedChannel> channels = new ArrayList<>();

    private void start(String... properties) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path file = Files.writeString(
                dir.resolve("config.properties"),
                String.join(
                        "\n",
                        "grpc_inference_port=0",
                        "grpc_management_port=0",
                        "model_store=" + store,
                        String.join("\n", properties),
                        ""));
        ServerConfig config = ServerConfig.defaults(dir).properties(file).build();
        Catalog catalog = new Catalog();
        manager = new ModelManager(
                new ModelLoader(dir.resolve("work"), config.modelDefaults(), Map.of(), deadlines),
                catalog,
                new ModelStore(store, config.allowedUrls()),
                Snapshot.disabled());
        keys = config.tokenAuthorization() ? Keys.issue(dir.resolve("key_file.json"), config.tokenExpiration()) : null;
        servers = GrpcServers.start(config, catalog, manager, Optional.ofNullable(keys));
    }

    private final Deadlines deadlines = new Deadlines();

    @AfterEach
    void stop() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (servers != null) {
            servers.close();
        }
        deadlines.close();
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static Metadata bearer(String key) {
        Metadata metadata = new Metadata();
        metadata.put(TokenCheck.AUTHORIZATION, "Bearer " + key);
        return metadata;
    }

    private InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub inference(Optional<Keys.Kind> key) {
        InferenceAPIsServiceGrpc.InferenceAPIsServiceBlockingStub stub = InferenceAPIsServiceGrpc.newBlockingStub(
                        channel(servers.ports().get(0)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        return key.map(k -> stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(key(k)))))
                .orElse(stub);
    }

    private ManagementAPIsServiceGrpc.ManagementAPIsServiceBlockingStub management(Keys.Kind key) {
        return ManagementAPIsServiceGrpc.newBlockingStub(channel(servers.ports().get(1)))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(key(key))));
    }

    private String key(Keys.Kind kind) {
        try {
            return Keys.read(dir.resolve("key_file.json"), kind);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Status refused(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    private static PredictionsRequest predict(String model, byte[] data) {
        return PredictionsRequest.newBuilder()
                .setModelName(model)
                .putInput("data", ByteString.copyFrom(data))
                .build();
    }

    @Test
    void pingAnswersWithoutAKeyAndPredictionsNeedTheInferenceKey() throws Exception {
        start();

        assertEquals(
                "{\"status\":\"Healthy\"}",
                JSON.readTree(inference(Optional.empty())
                                .ping(Empty.getDefaultInstance())
                                .getHealth())
                        .toString());
        Status without = refused(() -> inference(Optional.empty()).predictions(predict("digits", new byte[1])));
        assertEquals(Status.Code.UNAUTHENTICATED, without.getCode());
        assertEquals(Keys.REFUSED, without.getDescription());
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                refused(() -> inference(Optional.of(Keys.Kind.MANAGEMENT)).predictions(predict("digits", new byte[1])))
                        .getCode());
        Status unknown =
                refused(() -> inference(Optional.of(Keys.Kind.INFERENCE)).predictions(predict("digits", new byte[1])));
        assertEquals(Status.Code.NOT_FOUND, unknown.getCode());
        assertEquals("Model not found: digits", unknown.getDescription());
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                refused(() -> inference(Optional.of(Keys.Kind.INFERENCE)).predictions(predict("", new byte[1])))
                        .getCode());
    }

    @Test
    void theHealthServiceFollowsPingWithoutAKey() throws Exception {
        start();
        HealthGrpc.HealthBlockingStub health =
                HealthGrpc.newBlockingStub(channel(servers.ports().get(0))).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertEquals(
                HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
        manager.expectStartupModels();
        assertEquals(
                HealthCheckResponse.ServingStatus.NOT_SERVING,
                health.check(HealthCheckRequest.newBuilder()
                                .setService(InferenceAPIsServiceGrpc.SERVICE_NAME)
                                .build())
                        .getStatus());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> health.check(HealthCheckRequest.newBuilder()
                                .setService("no.such.Service")
                                .build()))
                        .getCode());
    }

    @Test
    void reflectionListsEachListenersServicesToAKeyHolder() throws Exception {
        start();

        assertEquals(
                List.of(
                        "grpc.health.v1.Health",
                        "grpc.reflection.v1.ServerReflection",
                        "inference.GRPCInferenceService",
                        InferenceAPIsServiceGrpc.SERVICE_NAME),
                services(servers.ports().get(0), key(Keys.Kind.INFERENCE)));
        assertEquals(
                List.of("grpc.reflection.v1.ServerReflection", ManagementAPIsServiceGrpc.SERVICE_NAME),
                services(servers.ports().get(1), key(Keys.Kind.MANAGEMENT)));
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> services(servers.ports().get(1), key(Keys.Kind.INFERENCE)));
        assertEquals(
                Status.Code.UNAUTHENTICATED, Status.fromThrowable(e.getCause()).getCode());
    }

    private List<String> services(int port, String key) throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel(port))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(key)))
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        names.complete(value.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName)
                                .sorted()
                                .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                        names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {}
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        try {
            return names.get(10, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }

    @Test
    void managementNeedsTheManagementKeyAndKeepsTheModelApiRule() throws Exception {
        start();

        assertEquals(
                Status.Code.UNAUTHENTICATED,
                refused(() -> management(Keys.Kind.INFERENCE).listModels(ListModelsRequest.getDefaultInstance()))
                        .getCode());
        assertEquals(
                "{\"models\":[]}",
                JSON.readTree(management(Keys.Kind.MANAGEMENT)
                                .listModels(ListModelsRequest.getDefaultInstance())
                                .getMsg())
                        .toString());
        Status disabled = refused(() -> management(Keys.Kind.MANAGEMENT)
                .registerModel(
                        RegisterModelRequest.newBuilder().setUrl("digits.mar").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, disabled.getCode());
        assertTrue(disabled.getDescription().startsWith("Model API is disabled"), disabled.getDescription());
        assertEquals(
                Status.Code.PERMISSION_DENIED,
                refused(() -> management(Keys.Kind.MANAGEMENT)
                                .unregisterModel(UnregisterModelRequest.newBuilder()
                                        .setModelName("digits")
                                        .build()))
                        .getCode());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> management(Keys.Kind.MANAGEMENT)
                                .describeModel(DescribeModelRequest.newBuilder()
                                        .setModelName("digits")
                                        .build()))
                        .getCode());
    }

    @Test
    void aRegisterCallNamingAUrlNotAllowedIsAnInvalidArgument() throws Exception {
        start("enable_model_api=true", "disable_token_authorization=true");

        ManagementAPIsServiceGrpc.ManagementAPIsServiceBlockingStub stub = ManagementAPIsServiceGrpc.newBlockingStub(
                        channel(servers.ports().get(1)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
        Status status = refused(() -> stub.registerModel(RegisterModelRequest.newBuilder()
                .setUrl("https://example.com/digits.mar")
                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub.unregisterModel(UnregisterModelRequest.newBuilder()
                                .setModelName("digits")
                                .build()))
                        .getCode());
    }

    @Test
    void aMessageOverMaxRequestSizeIsRefused() throws Exception {
        start("max_request_size=1000");

        Status status = refused(
                () -> inference(Optional.of(Keys.Kind.INFERENCE)).predictions(predict("digits", new byte[2000])));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
    }

    @Test
    void aBidirectionalStreamAnswersEachRequestInOrderFailuresIncluded() throws Exception {
        start();

        CompletableFuture<List<PredictionResponse>> answers = new CompletableFuture<>();
        List<PredictionResponse> received = new ArrayList<>();
        StreamObserver<PredictionsRequest> requests = InferenceAPIsServiceGrpc.newStub(
                        channel(servers.ports().get(0)))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(key(Keys.Kind.INFERENCE))))
                .streamPredictions2(new StreamObserver<>() {
                    @Override
                    public void onNext(PredictionResponse value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.complete(received);
                    }
                });
        // More than a stream predicts side by side: each answer sent lets the next request in.
        for (int i = 0; i < 40; i++) {
            requests.onNext(predict(i % 2 == 0 ? "m" + i : "", new byte[1]).toBuilder()
                    .setSequenceId("s" + i)
                    .build());
        }
        requests.onCompleted();

        List<PredictionResponse> got = answers.get(10, TimeUnit.SECONDS);
        assertEquals(40, got.size());
        for (int i = 0; i < 40; i += 2) {
            assertEquals("s" + i, got.get(i).getSequenceId());
            assertEquals(Status.Code.NOT_FOUND.value(), got.get(i).getStatus().getCode());
            assertEquals("Model not found: m" + i, got.get(i).getStatus().getMessage());
            assertEquals("s" + (i + 1), got.get(i + 1).getSequenceId());
            assertEquals(
                    Status.Code.INVALID_ARGUMENT.value(),
                    got.get(i + 1).getStatus().getCode());
        }
    }

    @Test
    void aStopLeavesNoThreadOfItsOwn() throws Exception {
        start();
        inference(Optional.empty()).ping(Empty.getDefaultInstance());
        assertTrue(servalGrpcThreads() > 0);

        servers.close();
        servers = null;
        assertNoServalGrpcThreads();
    }

    /** Each thread was told to end and waited for; one may take a moment more to exit. */
    private static void assertNoServalGrpcThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (servalGrpcThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, servalGrpcThreads());
    }

    private static long servalGrpcThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("serval-grpc"))
                .count();
    }

    @Test
    void aPortInUseEndsTheStartNamingItsKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            IOException e =
                    assertThrows(IOException.class, () -> start("grpc_management_port=" + taken.getLocalPort()));
            assertTrue(
                    e.getMessage().startsWith("grpc_management_port 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
            assertNoServalGrpcThreads();
        }
    }

    @Test
    void withEnableGrpcSslBothServeTlsWithTheKeystore() throws Exception {
        Path keystore = TestKeystore.make(dir);
        start("enable_grpc_ssl=true", "keystore=" + keystore, "keystore_pass=" + TestKeystore.PASSWORD);

        ManagedChannel inferenceTls = tls(servers.ports().get(0), keystore);
        assertEquals(
                "Healthy",
                JSON.readTree(InferenceAPIsServiceGrpc.newBlockingStub(inferenceTls)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .ping(Empty.getDefaultInstance())
                                .getHealth())
                        .get("status")
                        .asText());
        ManagedChannel managementTls = tls(servers.ports().get(1), keystore);
        assertEquals(
                "{\"models\":[]}",
                JSON.readTree(ManagementAPIsServiceGrpc.newBlockingStub(managementTls)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .withInterceptors(
                                        MetadataUtils.newAttachHeadersInterceptor(bearer(key(Keys.Kind.MANAGEMENT))))
                                .listModels(ListModelsRequest.getDefaultInstance())
                                .getMsg())
                        .toString());
        // A client speaking plain text is not answered.
        assertEquals(
                Status.Code.UNAVAILABLE,
                refused(() -> inference(Optional.empty()).ping(Empty.getDefaultInstance()))
                        .getCode());
    }

    private ManagedChannel tls(int port, Path keystore) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(TestKeystore.trusting(keystore))
                        .build())
                .build();
        channels.add(channel);
        return channel;
    }

    @Test
    void theyCanBeTurnedOff() throws Exception {
        start("enable_grpc=false");
        assertEquals(List.of(), servers.ports());
        assertNoServalGrpcThreads();
    }

    @Test
    void aStopSaysNotServingThenRefusesNewCallsWhileAnIdleClientStaysConnected() throws Exception {
        start("disable_token_authorization=true");
        HealthGrpc.HealthBlockingStub health =
                HealthGrpc.newBlockingStub(channel(servers.ports().get(0))).withDeadlineAfter(10, TimeUnit.SECONDS);
        HealthCheckRequest server = HealthCheckRequest.getDefaultInstance();
        assertEquals(
                HealthCheckResponse.ServingStatus.SERVING, health.check(server).getStatus());

        manager.stopping();
        assertEquals(
                HealthCheckResponse.ServingStatus.NOT_SERVING,
                health.check(server).getStatus());
        servers.drain();

        long start = System.nanoTime();
        assertTrue(servers.awaitDrained(start + TimeUnit.SECONDS.toNanos(5)), "no call in progress");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "an idle client holds no drain");
        assertEquals(
                Status.Code.UNAVAILABLE, refused(() -> health.check(server)).getCode());
        assertEquals(0, servers.abandon());
    }
}
