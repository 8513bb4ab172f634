package dev.serval.handlers.image;

import ai.djl.ndarray.NDList;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
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
 * TorchServe's {@code image_classifier}: preprocess as torchvision does on PIL images, run the
 * model, softmax, and answer the top-k classes as {@code {"label": probability}}, highest first.
 *
 * <p>Model-config keys under {@code handler:}: {@code resize}, {@code center_crop},
 * {@code grayscale}, {@code mean}, {@code std} (see {@link Preprocessing}), {@code max_pixels}
 * (the largest model input, height × width after preprocessing; see
 * {@link VisionHandler#defaultMaxPixels()}) and {@code topk} (default 5), which a request may
 * override with {@code ?topk=}.
 */
@Component(
        service = Handler.class,
        scope = ServiceScope.PROTOTYPE,
        property = Handler.NAME + "=" + ImageClassifier.NAME)
public class ImageClassifier extends VisionHandler {

    /** The handler name archives refer to. */
    public static final String NAME = "image_classifier";

    private int topK;

    @Override
    protected Preprocessing.Defaults defaults() {
        return Preprocessing.Defaults.IMAGENET;
    }

    @Override
    protected void configure(ModelConfig config) {
        topK = config.getInt("topk", 5);
        if (topK <= 0) {
            throw new IllegalArgumentException("model-config.yaml: handler.topk must be positive, not " + topK);
        }
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> requests) throws HandlerException {
        // Softmax in Java, not on the NDArray: ONNX Runtime's arrays have no softmax of their own.
        float[] scores = output.get(0).toFloatArray();
        int classes = scores.length / requests.size();
        List<Response> responses = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int k = Parameters.positiveInt(requests.get(i), "topk", topK);
            responses.add(Response.json(top(softmax(scores, i * classes, classes), k)));
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
        IntStream.range(0, probabilities.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i])
                        .reversed())
                .limit(k)
                .forEach(i -> result.put(labels().name(i), probabilities[i]));
        return result;
    }
}
