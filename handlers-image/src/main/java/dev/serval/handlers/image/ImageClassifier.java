package dev.serval.handlers.image;

import ai.djl.ndarray.NDList;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
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
        float[] scores = output.get(0).toFloatArray();
        int classes = scores.length / requests.size();
        List<Response> responses = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int k = Parameters.positiveInt(requests.get(i), "topk", topK);
            responses.add(Response.json(labels().top(scores, i * classes, classes, k)));
        }
        return responses;
    }
}
