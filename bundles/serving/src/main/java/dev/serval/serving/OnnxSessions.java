package dev.serval.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ONNX Runtime's own session says of a model's inputs and outputs: names, types and shapes.
 * DJL's description has no types and no outputs, and its block keeps the session in a private
 * field; that field is read, and a DJL without it leaves the description to DJL's.
 */
final class OnnxSessions {

    private static final String BLOCK = "ai.djl.onnxruntime.engine.OrtSymbolBlock";
    private static final String PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

    private OnnxSessions() {}

    /**
     * @param model any engine's model
     * @return its session's description, when it is an ONNX Runtime model whose session is reachable
     */
    static Optional<Signature> describe(Model model) {
        try {
            Block block = model.getBlock();
            if (block == null || !block.getClass().getName().equals(BLOCK)) {
                return Optional.empty();
            }
            Field field = block.getClass().getDeclaredField("session");
            field.setAccessible(true);
            OrtSession session = (OrtSession) field.get(block);
            return Optional.of(new Signature(
                    Optional.of(tensors(session.getInputInfo())), Optional.of(tensors(session.getOutputInfo()))));
        } catch (ReflectiveOperationException | RuntimeException | OrtException e) {
            return Optional.empty();
        }
    }

    private static List<Signature.Tensor> tensors(Map<String, NodeInfo> nodes) {
        return nodes.values().stream()
                .map(node -> {
                    if (!(node.getInfo() instanceof TensorInfo info)) {
                        // A sequence or map: the protocol has no type for it.
                        return new Signature.Tensor(node.getName(), Optional.empty(), Optional.empty());
                    }
                    return new Signature.Tensor(node.getName(), Optional.of(info.getShape()), datatype(info.onnxType));
                })
                .toList();
    }

    /** ONNX's element type by the protocol's name: they differ for the floating types and strings. */
    static Optional<Datatype> datatype(TensorInfo.OnnxTensorType type) {
        String name = type.name().substring(PREFIX.length());
        return switch (name) {
            case "FLOAT16" -> Optional.of(Datatype.FP16);
            case "FLOAT" -> Optional.of(Datatype.FP32);
            case "DOUBLE" -> Optional.of(Datatype.FP64);
            case "BFLOAT16" -> Optional.of(Datatype.BF16);
            case "STRING" -> Optional.of(Datatype.BYTES);
            default -> Datatype.named(name);
        };
    }
}
