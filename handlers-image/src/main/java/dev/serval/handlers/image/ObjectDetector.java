package dev.serval.handlers.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * TorchServe's {@code object_detector}, for models answering boxes ({@code K×4}, x1 y1 x2 y2 in
 * pixels), scores ({@code K}) and class indices ({@code K}): as a tuple in that order, or named
 * {@code boxes}, {@code scores} and {@code labels} as torchvision's dicts are.
 *
 * <p>The response is TorchServe's: the detections scoring at least {@code threshold} (model
 * config, default 0.5; a request may set {@code ?threshold=}), in the model's order, each as
 * {@code {"label": [x1, y1, x2, y2], "score": s}}. The default preprocessing is TorchServe's,
 * {@code ToTensor()} alone; the keys are {@link ImageClassifier}'s.
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + ObjectDetector.NAME)
public class ObjectDetector extends VisionHandler {

    /** The handler name archives refer to. */
    public static final String NAME = "object_detector";

    private static final String THRESHOLD = "threshold";

    private double threshold;

    @Override
    protected Preprocessing.Defaults defaults() {
        return Preprocessing.Defaults.TO_TENSOR;
    }

    @Override
    protected void configure(ModelConfig config) {
        threshold = config.getDouble(THRESHOLD, 0.5);
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(
                    "model-config.yaml: handler.threshold must be from 0 to 1, not " + threshold);
        }
    }

    /**
     * Detection models answer one image's detections, without a batch dimension (torchvision's
     * take a list of images), so every image gets its own forward pass.
     */
    @Override
    protected boolean batchesInOneForwardPass() {
        return false;
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> requests) throws HandlerException {
        Request request = requests.get(0);
        double minimum = Parameters.fraction(request, THRESHOLD, threshold);
        float[] boxes = array(output, "boxes", 0).toFloatArray();
        float[] scores = array(output, "scores", 1).toFloatArray();
        Number[] classes = array(output, "labels", 2).toArray();
        if (boxes.length != 4 * scores.length || classes.length != scores.length) {
            throw new IllegalStateException(
                    "object_detector needs boxes K×4, scores K and labels K from the model, not " + output.getShapes());
        }
        List<Map<String, Object>> detections = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] >= minimum) {
                Map<String, Object> detection = new LinkedHashMap<>();
                detection.put(
                        labels().name(classes[i].intValue()),
                        List.of(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]));
                detection.put("score", scores[i]);
                detections.add(detection);
            }
        }
        return List.of(Response.json(detections));
    }

    private static NDArray array(NDList output, String name, int position) {
        NDArray named = output.get(name);
        if (named != null) {
            return named;
        }
        if (output.size() < 3) {
            throw new IllegalStateException(
                    "object_detector needs (boxes, scores, labels) from the model, not " + output.size() + " outputs");
        }
        return output.get(position);
    }
}
