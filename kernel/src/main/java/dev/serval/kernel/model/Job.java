package dev.serval.kernel.model;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for, or being handled by, a worker: either a request for the handler or a
 * forward pass the worker runs itself.
 *
 * @param request what the client sent, for the handler; null for a forward pass
 * @param pass the forward pass to run; null for a handler request
 * @param result completed by the worker, or failed by a deadline; whichever comes first wins
 * @param queuedAt when it was queued, by {@link System#nanoTime()}
 */
record Job(Request request, ForwardPass pass, CompletableFuture<Response> result, long queuedAt) {

    /**
     * @param request what the client sent
     * @return a job for the handler, queued now
     */
    static Job of(Request request) {
        return new Job(request, null, new CompletableFuture<>(), System.nanoTime());
    }

    /**
     * @param pass the forward pass to run
     * @return a job for the worker itself, queued now
     */
    static Job of(ForwardPass pass) {
        return new Job(null, pass, new CompletableFuture<>(), System.nanoTime());
    }

    /** @return whether the worker runs it itself, not the handler */
    boolean isForwardPass() {
        return pass != null;
    }

    /** @return whether nobody waits for this job any more (answered, timed out) */
    boolean abandoned() {
        return result.isDone();
    }
}
