package dev.serval.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.serval.sdk.Response;

/**
 * Work a worker runs with its own predictor instead of the handler: a raw forward pass on
 * tensors the client sent (KServe's v2 protocol). It runs on the worker's thread, as the
 * predictor must, one job at a time.
 */
@FunctionalInterface
public interface ForwardPass {

    /**
     * @param model the version's model, for its {@code NDManager}
     * @param predictor the worker's predictor
     * @return the answer
     * @throws Exception when the pass fails; a {@link ServingException} is answered as it is
     */
    Response run(Model model, Predictor<NDList, NDList> predictor) throws Exception;
}
