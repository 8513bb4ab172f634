package dev.serval.kernel.model;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for, or being handled by, a worker.
 *
 * @param request what the client sent
 * @param result completed by the worker, or failed by a deadline; whichever comes first wins
 */
record Job(Request request, CompletableFuture<Response> result) {

    /** @return whether nobody waits for this job any more (answered, timed out) */
    boolean abandoned() {
        return result.isDone();
    }
}
