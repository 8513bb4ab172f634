package dev.serval.kernel.kserve;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import dev.serval.sdk.Response;
import dev.serval.serving.ForwardPass;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.Signature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An inference request run straight through the model, without its handler: the request's
 * tensors in, every output (or those asked for) out, as the Open Inference Protocol has it.
 */
public final class TensorPass implements ForwardPass {

    private final InferRequest request;
    private final List<InputTensor> inputs;
    private final String modelName;
    private final String modelVersion;
    private final Optional<List<Signature.Tensor>> outputNames;

    /**
     * @param request the request
     * @param version the version to run it on
     * @throws ServingException 400 when the inputs do not match the model's, where it names them
     */
    public TensorPass(InferRequest request, ModelVersion version) {
        this.request = request;
        this.modelName = version.name();
        this.modelVersion = version.version();
        this.inputs = version.signature().inputs().map(expected -> inModelOrder(request.inputs(), expected))
                .orElse(request.inputs());
        this.outputNames = version.signature().outputs();
    }

    /** Models that name their inputs take them by position: put the request's in that order. */
    private static List<InputTensor> inModelOrder(List<InputTensor> given, List<Signature.Tensor> expected) {
        List<String> names = expected.stream().map(Signature.Tensor::name).toList();
        Map<String, InputTensor> byName = new LinkedHashMap<>();
        given.forEach(tensor -> byName.put(tensor.name(), tensor));
        if (!byName.keySet().equals(new java.util.HashSet<>(names))) {
            throw InferRequest.invalid("The model takes the inputs " + names + ", not " + byName.keySet());
        }
        return names.stream().map(byName::get).toList();
    }

    @Override
    public Response run(Model model, Predictor<NDList, NDList> predictor) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList arrays = new NDList();
            for (InputTensor input : inputs) {
                arrays.add(input.toArray(manager));
            }
            NDList outputs;
            try {
                outputs = predictor.predict(arrays);
            } catch (TranslateException | EngineException e) {
                // The tensors are the client's own, unlike a handler's: a refusal is theirs to fix.
                throw InferRequest.invalid("The model rejected the inputs: " + e.getMessage());
            }
            outputs.attach(manager);
            return Response.json(answer(outputs));
        }
    }

    private Map<String, Object> answer(NDList outputs) {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            byName.put(outputName(outputs.get(i), i), outputs.get(i));
        }
        List<String> wanted = request.outputs().isEmpty() ? List.copyOf(byName.keySet())
                : List.copyOf(request.outputs());
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (String name : wanted) {
            NDArray array = byName.get(name);
            if (array == null) {
                throw InferRequest.invalid("The model has no output " + name + "; it answers " + byName.keySet());
            }
            tensors.add(OutputTensor.of(name, array));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", modelName);
        body.put("model_version", modelVersion);
        request.id().ifPresent(id -> body.put("id", id));
        body.put("outputs", tensors);
        return body;
    }

    /** The engine's name for it, else the model's description's, else {@code output<i>}. */
    private String outputName(NDArray array, int index) {
        if (array.getName() != null && !array.getName().isEmpty()) {
            return array.getName();
        }
        return outputNames.filter(names -> names.size() > index).map(names -> names.get(index).name())
                .orElse("output" + index);
    }
}
