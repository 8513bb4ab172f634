package dev.serval.kernel.model;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for, or being handled by, a worker.
 *
 * @param request what the client sent
 * @param result completed by the worker, or failed by a deadline; whichever comes first wins
 * @param queuedAt when it was queued, by {@link System#nanoTime()}
 */
record Job(Request request, CompletableFuture<Response> result, long queuedAt) {

    /**
     * @param request what the client sent
     * @return a job queued now, not answered yet
     */
    static Job of(Request request) {
        return new Job(request, new CompletableFuture<>(), System.nanoTime());
    }

    /** @return whether nobody waits for this job any more (answered, timed out) */
    boolean abandoned() {
        return result.isDone();
    }
}
