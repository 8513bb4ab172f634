package dev.serval.handlers.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * TorchServe's {@code image_segmenter}, for models answering {@code N×K×H×W} logits (or a dict or
 * tuple holding them first or as {@code out}, as torchvision's segmentation models do).
 *
 * <p>The default response is TorchServe's: {@code [H][W][class, probability]}. That is large, so
 * {@code output: compact} in the model config, or {@code ?output=compact} on a request, answers
 * {@code shape}, {@code labels}, {@code pixel_counts} and the {@code [H][W]} argmax mask instead;
 * a request accepting {@code image/png} gets the mask as a PNG of class indices. Preprocessing
 * keys as {@link ImageClassifier}; the default is TorchServe's (resize 256, centre crop 224,
 * ImageNet mean and std). {@code max_pixels} defaults to 1024 × 1024 ({@link #defaultMaxPixels()}).
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + ImageSegmenter.NAME)
public class ImageSegmenter extends VisionHandler {

    /** The handler name archives refer to. */
    public static final String NAME = "image_segmenter";

    private static final String OUTPUT = "output";
    private static final String FULL = "full";
    private static final String COMPACT = "compact";
    private static final String PNG = "image/png";

    private String output;

    @Override
    protected Preprocessing.Defaults defaults() {
        return Preprocessing.Defaults.IMAGENET;
    }

    /**
     * A segmentation is dense: the logits, the mask and the answer all grow with the input's
     * pixels. 1024 × 1024 took the example model 3.5 s and 0.5 GB of native memory on 2 cores
     * (2000 × 2000: 28 s and 2 GB), and TorchServe's full answer for it (25 MB) is already
     * four times {@code max_response_size}.
     */
    @Override
    protected int defaultMaxPixels() {
        return 1024 * 1024;
    }

    @Override
    protected void configure(ModelConfig config) {
        output = config.getString(OUTPUT).orElse(FULL).toLowerCase(Locale.ROOT);
        if (!output.equals(FULL) && !output.equals(COMPACT)) {
            throw new IllegalArgumentException(
                    "model-config.yaml: handler.output must be full or compact, not '" + output + "'");
        }
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> requests) throws HandlerException {
        NDArray named = output.get("out");
        NDArray logits = named != null ? named : output.get(0);
        Shape shape = logits.getShape();
        if (shape.dimension() != 4 || shape.get(0) != requests.size()) {
            throw new IllegalStateException("image_segmenter needs N×K×H×W logits from the model, not " + shape);
        }
        float[] values = logits.toFloatArray();
        List<Response> responses = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Segmentation segmentation =
                    Segmentation.of(values, i, (int) shape.get(1), (int) shape.get(2), (int) shape.get(3));
            responses.add(respond(segmentation, requests.get(i)));
        }
        return responses;
    }

    private Response respond(Segmentation segmentation, Request request) throws HandlerException {
        if (request.header("Accept").filter(accept -> accept.contains(PNG)).isPresent()) {
            return Response.bytes(segmentation.png(), PNG);
        }
        String form = request.queryParameter(OUTPUT).orElse(output).toLowerCase(Locale.ROOT);
        return switch (form) {
            case FULL -> Response.json(segmentation.full());
            case COMPACT -> Response.json(segmentation.compact(labels()));
            default ->
                throw HandlerException.badRequest("Query parameter output must be full or compact, not '" + form + "'");
        };
    }
}
