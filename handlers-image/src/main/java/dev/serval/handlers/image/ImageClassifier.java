package dev.serval.handlers.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.ModelHandler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * TorchServe's {@code image_classifier}: decode, preprocess as torchvision does on PIL images,
 * run the model, softmax, and answer the top-k classes as {@code {"label": probability}},
 * highest first.
 *
 * <p>Model-config keys under {@code handler:}: {@code resize}, {@code center_crop},
 * {@code grayscale}, {@code mean}, {@code std} (see {@link Preprocessing}) and {@code topk}
 * (default 5).
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE,
        property = Handler.NAME + "=" + ImageClassifier.NAME)
public class ImageClassifier extends ModelHandler {

    /** The handler name archives refer to. */
    public static final String NAME = "image_classifier";

    private Preprocessing preprocessing;
    private Labels labels;
    private int topK;

    @Override
    public void initialize(Context context) throws Exception {
        preprocessing = Preprocessing.from(context.config());
        labels = Labels.read(context.modelDir());
        topK = context.config().getInt("topk", 5);
    }

    @Override
    protected NDList preprocess(List<Request> batch, NDManager manager, Context context) throws Exception {
        List<NDArray> images = new ArrayList<>(batch.size());
        for (Request request : batch) {
            Preprocessing.Tensor tensor = preprocessing.apply(request.body());
            images.add(manager.create(tensor.data(),
                    new Shape(1, preprocessing.channels(), tensor.height(), tensor.width())));
        }
        return new NDList(images.size() == 1 ? images.get(0) : NDArrays.concat(new NDList(images)));
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> batch, Context context) {
        // Softmax in Java, not on the NDArray: ONNX Runtime's arrays have no softmax of their own.
        float[] scores = output.singletonOrThrow().toFloatArray();
        int classes = scores.length / batch.size();
        List<Response> responses = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            responses.add(Response.json(top(softmax(scores, i * classes, classes), topK)));
        }
        return responses;
    }

    private static float[] softmax(float[] scores, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, scores[offset + i]);
        }
        double[] exp = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            exp[i] = Math.exp(scores[offset + i] - max);
            sum += exp[i];
        }
        float[] probabilities = new float[length];
        for (int i = 0; i < length; i++) {
            probabilities[i] = (float) (exp[i] / sum);
        }
        return probabilities;
    }

    private Map<String, Float> top(float[] probabilities, int k) {
        Map<String, Float> result = new LinkedHashMap<>();
        IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed())
                .limit(k)
                .forEach(i -> result.put(labels.name(i), probabilities[i]));
        return result;
    }
}
