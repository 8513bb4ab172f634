package dev.serval.kernel.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.serval.kernel.kserve.InferRequest;
import dev.serval.kernel.kserve.InferResponse;
import dev.serval.kernel.kserve.TensorData;
import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The protocol's gRPC messages to and from the kserve tensors: typed, raw, and refused. */
class OipMessagesTest {

    private static ModelInferRequest.InferInputTensor.Builder input(String name, String datatype, long... shape) {
        ModelInferRequest.InferInputTensor.Builder input =
                ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            input.addShape(dim);
        }
        return input;
    }

    private static ModelInferRequest.Builder request(ModelInferRequest.InferInputTensor.Builder... inputs) {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("m");
        for (ModelInferRequest.InferInputTensor.Builder input : inputs) {
            request.addInputs(input);
        }
        return request;
    }

    private static String refused(ModelInferRequest.Builder request) {
        ServingException e = assertThrows(ServingException.class, () -> OipMessages.request(request.build()));
        assertEquals(400, e.status());
        return e.getMessage();
    }

    @Test
    void typedContentsAreTheSameTensorAsRawOnes() {
        ByteBuffer bytes = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(-2f)
                .flip();
        InferRequest typed = OipMessages.request(request(input("x", "FP32", 1, 2)
                        .setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1.5f)
                                .addFp32Contents(-2f)))
                .setId("r")
                .build());
        InferRequest raw = OipMessages.request(request(input("x", "FP32", 1, 2))
                .addRawInputContents(ByteString.copyFrom(bytes.duplicate()))
                .build());

        assertEquals(Optional.of("r"), typed.id());
        assertEquals(bytes, typed.inputs().get(0).data());
        assertEquals(bytes, raw.inputs().get(0).data());
        assertTrue(OipMessages.raw(request(input("x", "FP32"))
                .addRawInputContents(ByteString.EMPTY)
                .build()));
    }

    @Test
    void unsignedContentsAreReadAsUnsigned() {
        InferRequest request = OipMessages.request(request(
                        input("a", "UINT32", 1)
                                .setContents(InferTensorContents.newBuilder().addUintContents(-1)),
                        input("b", "UINT64", 1)
                                .setContents(InferTensorContents.newBuilder().addUint64Contents(-1L)),
                        input("c", "BYTES", 1)
                                .setContents(InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.copyFromUtf8("hi"))))
                .build());

        assertEquals(List.of(4294967295L), request.inputs().get(0).values());
        assertEquals(
                List.of(new BigInteger("18446744073709551615")),
                request.inputs().get(1).values());
        assertEquals("hi", new String((byte[]) request.inputs().get(2).values().get(0)));
    }

    @Test
    void malformedRequestsAreRefusedSayingWhy() {
        ByteString eight = ByteString.copyFrom(new byte[8]);
        InferTensorContents one =
                InferTensorContents.newBuilder().addFp32Contents(1).build();
        assertTrue(refused(request()).contains("no inputs"));
        assertTrue(refused(request(input("x", "FP8", 1).setContents(one))).contains("datatype FP8"));
        assertTrue(refused(request(input("x", "FP32", 3)).addRawInputContents(eight))
                .contains("has 8 bytes"));
        assertTrue(refused(request(input("x", "FP32", 2).setContents(one)).addRawInputContents(eight))
                .contains("send one or the other"));
        assertTrue(refused(request(input("x", "FP32", 2), input("y", "FP32", 2)).addRawInputContents(eight))
                .contains("1 raw_input_contents for 2 inputs"));
        assertTrue(refused(request(input("x", "FP32", 1))).contains("no contents"));
        assertTrue(refused(request(input("x", "INT32", 1).setContents(one))).contains("go in int_contents"));
        assertTrue(refused(request(input("x", "FP16", 1).setContents(one))).contains("raw_input_contents"));
        assertTrue(refused(request(input("x", "INT8", 1)
                        .setContents(InferTensorContents.newBuilder().addIntContents(300))))
                .contains("is not INT8"));
        assertTrue(refused(request(
                        input("x", "FP32", 1).setContents(one),
                        input("x", "FP32", 1).setContents(one)))
                .contains("given twice"));
        assertTrue(refused(request(input("x", "FP32", -1).setContents(one))).contains("bad shape"));
    }

    /** A claim of 2^62 elements is refused by arithmetic, with nothing allocated for it. */
    @Test
    void aHugeClaimedShapeIsRefusedBeforeAnyAllocation() {
        long dim = 1L << 31;
        assertTrue(refused(request(input("x", "FP32", dim, dim)).addRawInputContents(ByteString.copyFrom(new byte[4])))
                .contains("too many elements"));
        assertTrue(refused(request(input("x", "FP32", 1L << 30)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1))))
                .contains("has 1 elements"));
    }

    @Test
    void answersAreRawWhenTheRequestWasOrATypeHasNoField() {
        ByteBuffer bytes = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(0.5f)
                .putFloat(2f)
                .flip();
        TensorData fp32 = TensorData.ofBytes("y", Datatype.FP32, new long[] {1, 2}, bytes);
        TensorData fp16 = TensorData.ofValues("h", Datatype.FP16, new long[] {1}, List.of(1f));
        InferResponse answer = new InferResponse("m", "1.0", Optional.of("r"), List.of(fp32));

        ModelInferResponse typed = OipMessages.answer(answer, false);
        ModelInferResponse raw = OipMessages.answer(answer, true);
        ModelInferResponse half =
                OipMessages.answer(new InferResponse("m", "1.0", Optional.empty(), List.of(fp32, fp16)), false);

        assertEquals("r", typed.getId());
        assertEquals(List.of(1L, 2L), typed.getOutputs(0).getShapeList());
        assertEquals("FP32", typed.getOutputs(0).getDatatype());
        assertEquals(List.of(0.5f, 2f), typed.getOutputs(0).getContents().getFp32ContentsList());
        assertEquals(0, typed.getRawOutputContentsCount());
        assertFalse(raw.getOutputs(0).hasContents());
        assertEquals(ByteString.copyFrom(bytes.duplicate()), raw.getRawOutputContents(0));
        assertEquals(2, half.getRawOutputContentsCount());
        assertFalse(half.getOutputs(0).hasContents());
    }

    @Test
    void typedAnswersCarryEachTypeInItsField() {
        ModelInferResponse answer = OipMessages.answer(
                new InferResponse(
                        "m",
                        "1",
                        Optional.empty(),
                        List.of(
                                TensorData.ofValues("u", Datatype.UINT32, new long[] {1}, List.of(4294967295L)),
                                TensorData.ofValues("b", Datatype.BOOL, new long[] {1}, List.of(true)),
                                TensorData.ofValues("s", Datatype.BYTES, new long[] {1}, List.of("hi".getBytes())))),
                false);

        assertEquals(List.of(-1), answer.getOutputs(0).getContents().getUintContentsList());
        assertEquals(List.of(true), answer.getOutputs(1).getContents().getBoolContentsList());
        assertEquals(
                ByteString.copyFromUtf8("hi"),
                answer.getOutputs(2).getContents().getBytesContents(0));
    }
}
