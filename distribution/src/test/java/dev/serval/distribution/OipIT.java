package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerLiveRequest;
import inference.GrpcPredictV2.ServerMetadataRequest;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe's Open Inference Protocol over real gRPC against the built distribution, with stubs
 * generated from the protocol's own {@code grpc_predict_v2.proto} (package {@code inference}, as
 * KServe's and Triton's clients call it): typed and raw tensors through ONNX equal to the REST
 * binding's answer and to PyTorch's numbers, BYTES through the handlers, metadata, health, keys,
 * and malformed tensors refused.
 */
class OipIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_REQUEST_SIZE = 100_000;

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static ManagedChannel channel;
    private static float[] digit;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(
                store.resolve("digits_onnx.mar"), "digits_onnx", "1.0", "convnet_digits.onnx", "image_classifier");
        Archives.reviews(
                store.resolve("reviews.mar"),
                "reviews",
                "reviews_distilbert.onnx",
                "hf_sequence_classifier",
                List.of("config.json", "tokenizer.json"));
        server = ServerProcess.start(root, store, "max_request_size=" + MAX_REQUEST_SIZE);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcInferencePort)
                .usePlaintext()
                .build();
        digit = Reference.npyFloats(Archives.DIGITS.resolve("inputs/digit_00_label5.npy"));
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String key) {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub =
                GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        if (key == null) {
            return stub;
        }
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return stub(server.key("inference"));
    }

    private static ModelInferRequest.InferInputTensor.Builder input(String name, String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder input =
                ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            input.addShape(dim);
        }
        return input;
    }

    private static ModelInferRequest.Builder typedDigit() {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : digit) {
            contents.addFp32Contents(value);
        }
        return ModelInferRequest.newBuilder()
                .setModelName("digits_onnx")
                .setId("req-9")
                .addInputs(input("input", "FP32", 1, 1, 28, 28).setContents(contents));
    }

    private static ByteString rawDigit() {
        ByteBuffer raw = ByteBuffer.allocate(digit.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : digit) {
            raw.putFloat(value);
        }
        return ByteString.copyFrom(raw.array());
    }

    private static Status refused(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    /** digit_00_label5.npy is the reference preprocessing, computed by NumPy. */
    @Test
    void typedAndRawTensorsAnswerAsRestAndPyTorchDo() throws Exception {
        StringBuilder tensor = new StringBuilder();
        for (float value : digit) {
            tensor.append(tensor.isEmpty() ? "" : ",").append(value);
        }
        HttpResponse<String> rest = server.http.send(
                server.request(server.inferencePort, "/v2/models/digits_onnx/infer")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\","
                                        + " \"shape\": [1, 1, 28, 28], \"data\": [" + tensor + "]}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, rest.statusCode(), rest.body());
        JsonNode restOutput = JSON.readTree(rest.body()).get("outputs").get(0);
        JsonNode expected = Reference.cases(Archives.DIGITS).get(0).get("log_probs");

        ModelInferResponse typed = stub().modelInfer(typedDigit().build());
        ModelInferResponse raw = stub().modelInfer(typedDigit()
                .setInputs(0, input("input", "FP32", 1, 1, 28, 28))
                .addRawInputContents(rawDigit())
                .build());

        assertEquals("digits_onnx", typed.getModelName());
        assertEquals("1.0", typed.getModelVersion());
        assertEquals("req-9", typed.getId());
        for (ModelInferResponse answer : List.of(typed, raw)) {
            ModelInferResponse.InferOutputTensor output = answer.getOutputs(0);
            assertEquals(restOutput.get("name").asText(), output.getName());
            assertEquals("FP32", output.getDatatype());
            assertEquals(List.of(1L, 10L), output.getShapeList());
        }
        assertEquals(0, typed.getRawOutputContentsCount());
        List<Float> typedValues = typed.getOutputs(0).getContents().getFp32ContentsList();
        // Raw in, raw out, as Triton answers.
        assertFalse(raw.getOutputs(0).hasContents());
        ByteBuffer rawValues =
                raw.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(40, rawValues.remaining());
        for (int i = 0; i < 10; i++) {
            float fromRest = restOutput.get("data").get(i).floatValue();
            assertEquals(fromRest, typedValues.get(i), "typed " + i);
            assertEquals(fromRest, rawValues.getFloat(), "raw " + i);
            assertEquals(expected.get(i).asDouble(), fromRest, TOLERANCE, restOutput.toString());
        }
    }

    /** An image as BYTES goes through the handler: the answer /predictions gives, PyTorch's numbers. */
    @Test
    void bytesGoThroughTheHandlers() throws Exception {
        JsonNode digitCase = Reference.cases(Archives.DIGITS).get(0);
        byte[] png = Reference.input(Archives.DIGITS, digitCase);
        HttpResponse<String> predictions = server.predict("/predictions/digits_onnx", png, "PUT");
        assertEquals(200, predictions.statusCode(), predictions.body());

        ModelInferResponse image = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("digits_onnx")
                .addInputs(input("image", "BYTES", 1)
                        .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(png))))
                .build());

        ModelInferResponse.InferOutputTensor output = image.getOutputs(0);
        assertEquals("predict", output.getName());
        assertEquals("BYTES", output.getDatatype());
        assertEquals(
                predictions.body(), output.getContents().getBytesContents(0).toStringUtf8());
        JsonNode classes =
                JSON.readTree(output.getContents().getBytesContents(0).toByteArray());
        double[] probabilities = Reference.softmax(digitCase.get("log_probs"));
        assertEquals(
                probabilities[digitCase.get("pred").asInt()],
                classes.get(digitCase.get("pred").asText()).asDouble(),
                TOLERANCE,
                classes.toString());

        // Raw BYTES: each element its 4-byte little-endian length, then its bytes.
        JsonNode reviewCase = Reference.cases(Archives.REVIEWS).get(0);
        byte[] text = reviewCase.get("text").asText().getBytes(StandardCharsets.UTF_8);
        ByteBuffer strings = ByteBuffer.allocate(4 + text.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(text.length)
                .put(text);
        ModelInferResponse review = stub().modelInfer(ModelInferRequest.newBuilder()
                .setModelName("reviews")
                .addInputs(input("text", "BYTES", 1))
                .addRawInputContents(ByteString.copyFrom(strings.array()))
                .build());

        ByteBuffer answer =
                review.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] body = new byte[answer.getInt()];
        answer.get(body);
        assertFalse(answer.hasRemaining());
        HttpResponse<String> reviewPredictions = server.postText("/predictions/reviews", text, "text/plain");
        assertEquals(reviewPredictions.body(), new String(body, StandardCharsets.UTF_8));
        JsonNode labels = JSON.readTree(body);
        assertEquals(List.of(), Reference.reviewMismatches(reviewCase, labels));
    }

    /** ONNX Runtime's session describes the tensors' types and shapes. */
    @Test
    void metadataCarriesDatatypesAndShapes() {
        ModelMetadataResponse metadata = stub().modelMetadata(
                        ModelMetadataRequest.newBuilder().setName("digits_onnx").build());

        assertEquals("digits_onnx", metadata.getName());
        assertEquals(List.of("1.0"), metadata.getVersionsList());
        assertEquals("onnx_onnxv1", metadata.getPlatform());
        assertEquals("input", metadata.getInputs(0).getName());
        assertEquals("FP32", metadata.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 1L, 28L, 28L), metadata.getInputs(0).getShapeList());
        assertEquals("log_probs", metadata.getOutputs(0).getName());
        assertEquals(List.of(-1L, 10L), metadata.getOutputs(0).getShapeList());
        assertEquals(
                "serval",
                stub().serverMetadata(ServerMetadataRequest.getDefaultInstance())
                        .getName());
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub().modelMetadata(ModelMetadataRequest.newBuilder()
                                .setName("digits_onnx")
                                .setVersion("9.9")
                                .build()))
                        .getCode());
    }

    /**
     * The server's probes need no key, as the REST binding's /v2/health/* need none; ModelReady,
     * which tells what is served, takes it as REST's /v2/models/{m}/ready does.
     */
    @Test
    void healthProbesAnswerWithoutAKey() {
        assertTrue(stub(null).serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(
                stub(null).serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals(
                Status.Code.UNAUTHENTICATED,
                refused(() -> stub(null)
                                .modelReady(ModelReadyRequest.newBuilder()
                                        .setName("digits_onnx")
                                        .build()))
                        .getCode());
        assertTrue(stub().modelReady(
                        ModelReadyRequest.newBuilder().setName("digits_onnx").build())
                .getReady());
        assertTrue(stub().modelReady(ModelReadyRequest.newBuilder()
                        .setName("digits_onnx")
                        .setVersion("1.0")
                        .build())
                .getReady());
        Status unknown = refused(() -> stub().modelReady(
                        ModelReadyRequest.newBuilder().setName("nothing").build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getCode());
        assertEquals("Model not found: nothing", unknown.getDescription());
    }

    @Test
    void callsWithoutTheInferenceKeyAreRefused() {
        List<Status> statuses = new ArrayList<>();
        for (String key : new String[] {null, "wrong", server.key("management")}) {
            statuses.add(refused(() -> stub(key).modelInfer(typedDigit().build())));
            statuses.add(refused(() -> stub(key)
                    .modelMetadata(ModelMetadataRequest.newBuilder()
                            .setName("digits_onnx")
                            .build())));
            statuses.add(refused(() -> stub(key).serverMetadata(ServerMetadataRequest.getDefaultInstance())));
        }
        for (Status status : statuses) {
            assertEquals(Status.Code.UNAUTHENTICATED, status.getCode());
            assertEquals(
                    "Token Authorization failed. Token either incorrect, expired, or not provided correctly",
                    status.getDescription());
        }
    }

    @Test
    void malformedTensorsAreInvalidArguments() {
        ByteString raw = rawDigit();
        ModelInferRequest.Builder typed = typedDigit();
        assertInvalid(typed.clone().addRawInputContents(raw), "has contents and the request raw_input_contents");
        assertInvalid(
                typed.clone().setInputs(0, input("input", "FP32", 1, 1, 28, 27)).addRawInputContents(raw),
                "has 3136 bytes; its shape [1, 1, 28, 27] of FP32 needs 3024");
        assertInvalid(
                typed.clone()
                        .setInputs(0, input("input", "FP32", 1L << 31, 1L << 31))
                        .addRawInputContents(raw),
                "too many elements");
        assertInvalid(
                typed.clone()
                        .setInputs(
                                0, typed.getInputs(0).toBuilder().clearShape().addShape(1L << 30)),
                "has 784 elements; its shape [1073741824] needs 1073741824");
        assertInvalid(
                typed.clone().setInputs(0, typed.getInputs(0).toBuilder().setDatatype("FP8")),
                "has datatype FP8; the protocol has");
        assertInvalid(
                typed.clone().setInputs(0, typed.getInputs(0).toBuilder().setDatatype("INT32")),
                "its elements go in int_contents, not in [fp32_contents]");
        assertInvalid(typed.clone().setInputs(0, input("input", "FP32", 1, 1, 28, 28)), "has no contents");
        assertInvalid(
                typed.clone().setInputs(0, typed.getInputs(0).toBuilder().setName("wrong")),
                "The model takes the inputs [input], not [wrong]");
        assertInvalid(typed.clone().clearModelName(), "model_name is required");
        assertEquals(
                Status.Code.NOT_FOUND,
                refused(() -> stub().modelInfer(
                                        typed.clone().setModelName("nothing").build()))
                        .getCode());
        // Still serving.
        assertEquals(
                10, stub().modelInfer(typed.build()).getOutputs(0).getContents().getFp32ContentsCount());
    }

    @Test
    void aMessageOverMaxRequestSizeIsRefused() {
        Status status = refused(() -> stub().modelInfer(typedDigit()
                .setInputs(0, input("input", "FP32", 1, 1, 28, 28))
                .addRawInputContents(ByteString.copyFrom(new byte[MAX_REQUEST_SIZE + 1]))
                .build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status.toString());
    }

    private static void assertInvalid(ModelInferRequest.Builder request, String message) {
        Status status = refused(() -> stub().modelInfer(request.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertTrue(status.getDescription().contains(message), status.getDescription());
    }
}
