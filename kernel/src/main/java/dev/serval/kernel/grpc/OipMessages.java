package dev.serval.kernel.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.serval.kernel.kserve.InferRequest;
import dev.serval.kernel.kserve.InferResponse;
import dev.serval.kernel.kserve.TensorData;
import dev.serval.serving.Datatype;
import dev.serval.serving.ServingException;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferResponse;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Open Inference Protocol's gRPC messages ({@code grpc_predict_v2.proto}) to and from the
 * transport-neutral {@link InferRequest} and {@link InferResponse}: an input's elements come in its
 * type's typed {@code contents} field or, for all inputs at once, in {@code raw_input_contents}
 * (the bytes {@link TensorData} holds); the answer is raw when the request was, as Triton answers,
 * and when an output's type (FP16, BF16) has no typed field.
 */
final class OipMessages {

    private OipMessages() {}

    /**
     * @param message the request as sent
     * @return its tensors, each checked against its shape and type before anything is allocated for it
     * @throws ServingException 400 saying what is malformed
     */
    static InferRequest request(ModelInferRequest message) {
        if (message.getInputsCount() == 0) {
            throw InferRequest.invalid("The request has no inputs");
        }
        boolean raw = raw(message);
        if (raw && message.getRawInputContentsCount() != message.getInputsCount()) {
            throw InferRequest.invalid("The request has " + message.getRawInputContentsCount()
                    + " raw_input_contents for " + message.getInputsCount() + " inputs: send one per input, in order");
        }
        List<TensorData> tensors = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < message.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = message.getInputs(i);
            String name = input.getName();
            if (name.isEmpty()) {
                throw InferRequest.invalid("Input " + i + " has no name");
            }
            Datatype datatype = TensorData.datatype(name, input.getDatatype());
            long[] shape =
                    input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            if (raw && input.hasContents()) {
                throw InferRequest.invalid("Input " + name + " has contents and the request raw_input_contents:"
                        + " send one or the other");
            }
            if (!raw && !input.hasContents()) {
                throw InferRequest.invalid("Input " + name + " has no contents, and the request no raw_input_contents");
            }
            tensors.add(
                    raw
                            ? TensorData.ofBytes(
                                    name,
                                    datatype,
                                    shape,
                                    message.getRawInputContents(i).asReadOnlyByteBuffer())
                            : TensorData.ofValues(name, datatype, shape, values(input, datatype)));
            if (!names.add(name)) {
                throw InferRequest.invalid("Input " + name + " is given twice");
            }
        }
        Set<String> outputs = new LinkedHashSet<>();
        message.getOutputsList().forEach(output -> outputs.add(output.getName()));
        return new InferRequest(
                Optional.of(message.getId()).filter(id -> !id.isEmpty()), List.copyOf(tensors), outputs);
    }

    /** @return whether the request's inputs are in {@code raw_input_contents} */
    static boolean raw(ModelInferRequest message) {
        return message.getRawInputContentsCount() > 0;
    }

    /** The typed field's elements as {@link TensorData#ofValues} takes them: unsigned ones as such. */
    private static List<?> values(ModelInferRequest.InferInputTensor input, Datatype datatype) {
        InferTensorContents contents = input.getContents();
        Optional<FieldDescriptor> field = field(datatype);
        if (field.isEmpty()) {
            throw InferRequest.invalid("Input " + input.getName() + " is " + datatype + ", which has no contents field:"
                    + " send it in raw_input_contents");
        }
        List<String> others = contents.getAllFields().keySet().stream()
                .filter(sent -> !sent.equals(field.get()))
                .map(FieldDescriptor::getName)
                .toList();
        if (!others.isEmpty()) {
            throw InferRequest.invalid("Input " + input.getName() + " is " + datatype + ": its elements go in "
                    + field.get().getName() + ", not in " + others);
        }
        return switch (datatype) {
            case UINT8, UINT16, UINT32 ->
                contents.getUintContentsList().stream()
                        .map(Integer::toUnsignedLong)
                        .toList();
            case UINT64 ->
                contents.getUint64ContentsList().stream()
                        .map(value -> value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value)))
                        .toList();
            case BYTES ->
                contents.getBytesContentsList().stream()
                        .map(ByteString::toByteArray)
                        .toList();
            default -> (List<?>) contents.getField(field.get());
        };
    }

    /** @return the {@code InferTensorContents} field for the type's elements; none for FP16 and BF16 */
    private static Optional<FieldDescriptor> field(Datatype datatype) {
        int number = switch (datatype) {
            case BOOL -> InferTensorContents.BOOL_CONTENTS_FIELD_NUMBER;
            case INT8, INT16, INT32 -> InferTensorContents.INT_CONTENTS_FIELD_NUMBER;
            case INT64 -> InferTensorContents.INT64_CONTENTS_FIELD_NUMBER;
            case UINT8, UINT16, UINT32 -> InferTensorContents.UINT_CONTENTS_FIELD_NUMBER;
            case UINT64 -> InferTensorContents.UINT64_CONTENTS_FIELD_NUMBER;
            case FP32 -> InferTensorContents.FP32_CONTENTS_FIELD_NUMBER;
            case FP64 -> InferTensorContents.FP64_CONTENTS_FIELD_NUMBER;
            case BYTES -> InferTensorContents.BYTES_CONTENTS_FIELD_NUMBER;
            case FP16, BF16 -> 0;
        };
        return Optional.ofNullable(InferTensorContents.getDescriptor().findFieldByNumber(number));
    }

    /**
     * @param answer the model's answer
     * @param raw whether the request's inputs were raw
     * @return the message: outputs in {@code raw_output_contents} when the request's inputs were
     *     raw or an output has no typed field, else in their typed {@code contents}
     */
    static ModelInferResponse answer(InferResponse answer, boolean raw) {
        boolean rawOutputs = raw
                || answer.outputs().stream()
                        .anyMatch(tensor -> field(tensor.datatype()).isEmpty());
        ModelInferResponse.Builder message =
                ModelInferResponse.newBuilder().setModelName(answer.modelName()).setModelVersion(answer.modelVersion());
        answer.id().ifPresent(message::setId);
        for (TensorData tensor : answer.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder output = message.addOutputsBuilder()
                    .setName(tensor.name())
                    .setDatatype(tensor.datatype().name());
            for (long dim : tensor.shape()) {
                output.addShape(dim);
            }
            if (rawOutputs) {
                message.addRawOutputContents(ByteString.copyFrom(tensor.data().duplicate()));
            } else {
                output.setContents(contents(tensor));
            }
        }
        return message.build();
    }

    private static InferTensorContents contents(TensorData tensor) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (Object value : tensor.values()) {
            switch (tensor.datatype()) {
                case BOOL -> contents.addBoolContents((Boolean) value);
                case INT8, INT16, INT32 -> contents.addIntContents(((Number) value).intValue());
                case INT64 -> contents.addInt64Contents(((Number) value).longValue());
                case UINT8, UINT16, UINT32 -> contents.addUintContents((int) ((Number) value).longValue());
                // A BigInteger's low 64 bits: the uint64 on the wire.
                case UINT64 -> contents.addUint64Contents(((Number) value).longValue());
                case FP32 -> contents.addFp32Contents(((Number) value).floatValue());
                case FP64 -> contents.addFp64Contents(((Number) value).doubleValue());
                case BYTES -> contents.addBytesContents(ByteString.copyFrom((byte[]) value));
                case FP16, BF16 -> throw new IllegalStateException(tensor.datatype() + " goes raw");
            }
        }
        return contents.build();
    }
}
