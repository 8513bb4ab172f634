package dev.serval.kernel.kserve;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import dev.serval.sdk.Response;
import dev.serval.serving.Datatype;
import dev.serval.serving.Engines;
import dev.serval.serving.ForwardPass;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An inference request run straight through the model, without its handler: the request's
 * tensors in, every output (or those asked for) out, as the Open Inference Protocol has it.
 */
final class TensorPass implements ForwardPass {

    private final InferRequest request;
    private final List<TensorData> inputs;
    private final String modelName;
    private final String modelVersion;
    private final Optional<List<Signature.Tensor>> outputNames;
    private final Function<InferResponse, Response> encoder;

    /**
     * @param request the request
     * @param version the version to run it on
     * @param encoder writes the answer for the transport, on the worker's thread, while the engine's
     *     outputs (which the answer's tensors may view) are still open
     * @throws ServingException 400 when the inputs do not match the model's, where it names them
     */
    TensorPass(InferRequest request, ModelVersion version, Function<InferResponse, Response> encoder) {
        this.request = request;
        this.modelName = version.name();
        this.modelVersion = version.version();
        this.inputs = version.signature()
                .inputs()
                .map(expected -> inModelOrder(request.inputs(), expected))
                .orElse(request.inputs());
        Set<Datatype> taken = Engines.inputTypes(version.engine());
        for (TensorData input : inputs) {
            if (!taken.contains(input.datatype())) {
                throw InferRequest.invalid("Input " + input.name() + " is " + input.datatype() + "; the "
                        + version.engine() + " engine takes " + taken);
            }
        }
        this.outputNames = version.signature().outputs();
        this.encoder = encoder;
    }

    /** Models that name their inputs take them by position: put the request's in that order. */
    private static List<TensorData> inModelOrder(List<TensorData> given, List<Signature.Tensor> expected) {
        List<String> names = expected.stream().map(Signature.Tensor::name).toList();
        Map<String, TensorData> byName = new LinkedHashMap<>();
        given.forEach(tensor -> byName.put(tensor.name(), tensor));
        if (!byName.keySet().equals(new HashSet<>(names))) {
            throw InferRequest.invalid("The model takes the inputs " + names + ", not " + byName.keySet());
        }
        return names.stream().map(byName::get).toList();
    }

    @Override
    public Response run(Model model, Predictor<NDList, NDList> predictor) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList outputs;
            try {
                NDList arrays = new NDList();
                for (TensorData input : inputs) {
                    arrays.add(input.toArray(manager));
                }
                outputs = predictor.predict(arrays);
            } catch (TranslateException
                    | EngineException
                    | UnsupportedOperationException
                    | IllegalArgumentException e) {
                // The tensors are the client's own, unlike a handler's: a refusal is theirs to fix.
                throw InferRequest.invalid("The model rejected the inputs: " + EngineErrors.shortMessage(e));
            }
            outputs.attach(manager);
            return encoder.apply(answer(outputs));
        }
    }

    private InferResponse answer(NDList outputs) {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            byName.put(outputName(outputs.get(i), i), outputs.get(i));
        }
        List<String> wanted =
                request.outputs().isEmpty() ? List.copyOf(byName.keySet()) : List.copyOf(request.outputs());
        List<TensorData> tensors = new ArrayList<>();
        for (String name : wanted) {
            NDArray array = byName.get(name);
            if (array == null) {
                throw InferRequest.invalid("The model has no output " + name + "; it answers " + byName.keySet());
            }
            tensors.add(TensorData.of(name, array));
        }
        return new InferResponse(modelName, modelVersion, request.id(), tensors);
    }

    /** The engine's name for it, else the model's description's, else {@code output<i>}. */
    private String outputName(NDArray array, int index) {
        if (array.getName() != null && !array.getName().isEmpty()) {
            return array.getName();
        }
        return outputNames
                .filter(names -> names.size() > index)
                .map(names -> names.get(index).name())
                .orElse("output" + index);
    }
}
