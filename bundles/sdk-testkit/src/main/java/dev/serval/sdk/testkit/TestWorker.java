package dev.serval.sdk.testkit;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.HandlerCalls;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.WorkerContext;
import java.util.List;

/**
 * One of the server's workers, in a test: a handler instance initialized once with the context
 * the server would give it, then handed batches.
 *
 * <p>Unlike the server, it lets what the handler throws reach the test (a
 * {@link dev.serval.sdk.HandlerException} as it is), and does not retry a failed batch one request
 * at a time: a test sees its handler's own behaviour.
 *
 * @param <H> the handler's type
 */
public final class TestWorker<H extends Handler> implements AutoCloseable {

    private final H handler;
    private final Predictor<NDList, NDList> predictor;
    private final Context context;

    private TestWorker(H handler, Predictor<NDList, NDList> predictor, Context context) {
        this.handler = handler;
        this.predictor = predictor;
        this.context = context;
    }

    static <H extends Handler> TestWorker<H> start(ModelVersion version, H handler) throws Exception {
        Predictor<NDList, NDList> predictor = version.model().newPredictor(new NoopTranslator());
        Context context = new WorkerContext(version.archive(), version.settings(), version.model(), predictor);
        try {
            handler.initialize(context);
        } catch (Exception | Error e) {
            predictor.close();
            throw e;
        }
        return new TestWorker<>(handler, predictor, context);
    }

    /** @return the handler, to inspect what it made of its context */
    public H handler() {
        return handler;
    }

    /** @return the context the handler was initialized with, holding this worker's predictor */
    public Context context() {
        return context;
    }

    /**
     * @param request one request
     * @return the handler's response to a batch of that request alone
     * @throws Exception what the handler threw
     */
    public Response handle(Request request) throws Exception {
        return handle(List.of(request)).get(0);
    }

    /**
     * @param batch requests, as the server batches them (at most {@link Context#batchSize()})
     * @return the handler's responses, one per request
     * @throws Exception what the handler threw
     * @throws IllegalStateException when the handler did not answer one response per request,
     *     which the server would answer with a 503
     */
    public List<Response> handle(List<Request> batch) throws Exception {
        return HandlerCalls.handle(handler, batch, context);
    }

    /** Closes the handler, then the worker's predictor, as the server does when a worker stops. */
    @Override
    public void close() {
        try {
            handler.close();
        } finally {
            predictor.close();
        }
    }
}
