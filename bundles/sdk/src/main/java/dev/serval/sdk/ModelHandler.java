package dev.serval.sdk;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A handler in TorchServe's three steps: {@code preprocess → inference → postprocess}.
 *
 * <p>Each batch gets its own {@link NDManager}, closed when the batch is answered, so native
 * memory allocated by any step is freed per batch without the handler tracking it.
 */
@ConsumerType
public abstract class ModelHandler implements Handler {

    /** Runs the three steps inside a per-batch {@link NDManager}. */
    @Override
    public List<Response> handle(List<Request> batch, Context context) throws Exception {
        try (NDManager manager = context.model().getNDManager().newSubManager()) {
            NDList input = preprocess(batch, manager, context);
            NDList output = inference(input, context);
            return postprocess(output, batch, context);
        }
    }

    /**
     * Turns the requests into the model's input tensors.
     *
     * @param batch the requests, in order
     * @param manager owns every array created for this batch; closed after postprocessing
     * @param context the model and worker
     * @return the model's inputs, batched along the first dimension
     * @throws HandlerException with status 400 for input the model cannot take
     * @throws Exception for any other failure
     */
    protected abstract NDList preprocess(List<Request> batch, NDManager manager, Context context) throws Exception;

    /**
     * Runs the model; the default is one forward pass through the worker's predictor.
     *
     * @param input what {@link #preprocess} returned
     * @param context the model and worker
     * @return the model's outputs
     * @throws Exception when the engine fails
     */
    protected NDList inference(NDList input, Context context) throws Exception {
        return context.predictor().predict(input);
    }

    /**
     * Turns the model's outputs into one response per request.
     *
     * @param output what {@link #inference} returned
     * @param batch the requests, in order
     * @param context the model and worker
     * @return one response per request, in the order of {@code batch}
     * @throws Exception when the outputs do not have the expected form
     */
    protected abstract List<Response> postprocess(NDList output, List<Request> batch, Context context) throws Exception;
}
