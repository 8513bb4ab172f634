package dev.serval.handlers.image;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Labels;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What TorchServe's vision handlers share: decoding every request ({@link InputDecoder}), running
 * a batch, and class names. Requests whose inputs have the same shape go through the model in one
 * forward pass; a batch of mixed sizes takes one pass per size, with the same results.
 */
abstract class VisionHandler implements Handler {

    /** What a batch of 8 RGB 224 × 224 inputs takes twice over (stacked), and then some. */
    private static final int RETAINED_INPUT_BYTES = 16 << 20;

    private final InputArena arena = new InputArena(RETAINED_INPUT_BYTES);
    private InputDecoder inputs;
    private Labels labels;

    @Override
    public void initialize(Context context) throws Exception {
        int maxPixels = context.config().getInt(InputDecoder.MAX_PIXELS, defaultMaxPixels());
        if (maxPixels < 1) {
            throw new IllegalArgumentException(
                    "model-config.yaml: handler." + InputDecoder.MAX_PIXELS + " must be positive, not " + maxPixels);
        }
        inputs = new InputDecoder(
                ImageDecoder.from(context.systemProperties()),
                Preprocessing.from(context.config(), defaults()),
                maxPixels);
        labels = Labels.read(context.modelDir());
        configure(context.config());
    }

    /** @return the preprocessing TorchServe's handler of the same name applies */
    protected abstract Preprocessing.Defaults defaults();

    /**
     * @return the largest model input, height × width after preprocessing, taken without a
     *     {@code max_pixels} key: 2048 × 2048, four times the segmenter's, as a classifier or a
     *     detector answers a few numbers per image rather than one per pixel (the example
     *     detector took 1.2 s and 0.2 GB for 1024 × 1024 on 2 cores). Decoding is bounded besides
     *     by {@code limit_max_image_pixels}.
     */
    protected int defaultMaxPixels() {
        return 2048 * 2048;
    }

    /**
     * Reads the handler's own keys of the model config.
     *
     * @param config the model config
     * @throws IllegalArgumentException naming a key that is wrong
     */
    protected abstract void configure(ModelConfig config);

    /** @return whether one forward pass may take several inputs of the same shape */
    protected boolean batchesInOneForwardPass() {
        return true;
    }

    /**
     * @param output the model's outputs for {@code requests}, batched along the first dimension
     * @param requests the requests of one forward pass, in order
     * @return one response per request, in order
     * @throws HandlerException 400 for a request option that is wrong
     */
    protected abstract List<Response> postprocess(NDList output, List<Request> requests) throws HandlerException;

    /** @return the class names of {@code index_to_name.json} */
    protected Labels labels() {
        return labels;
    }

    @Override
    public List<Response> handle(List<Request> batch, Context context) throws Exception {
        // The previous batch's arrays were closed with its manager: nothing reads its inputs.
        arena.reuse();
        try (NDManager manager = context.model().getNDManager().newSubManager()) {
            List<InputTensor> tensors = new ArrayList<>(batch.size());
            for (Request request : batch) {
                tensors.add(inputs.decode(request, arena));
            }
            Response[] responses = new Response[batch.size()];
            for (int[] pass : Batching.forwardPasses(tensors, batchesInOneForwardPass())) {
                List<Request> requests =
                        Arrays.stream(pass).mapToObj(batch::get).toList();
                NDList output = forward(context, manager, Batching.stack(tensors, pass, manager, arena), requests);
                List<Response> answers = postprocess(output, requests);
                for (int i = 0; i < pass.length; i++) {
                    responses[pass[i]] = answers.get(i);
                }
            }
            return Arrays.asList(responses);
        }
    }

    private static NDList forward(Context context, NDManager manager, NDList input, List<Request> requests)
            throws TranslateException, HandlerException {
        try {
            NDList output = context.predictor().predict(input);
            output.attach(manager);
            return output;
        } catch (TranslateException | EngineException e) {
            // An image was shaped by the model's own config; a raw tensor is the client's doing.
            if (requests.stream().anyMatch(InputDecoder::isTensor)) {
                throw HandlerException.badRequest("The model rejected the tensor: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
