package dev.serval.serving;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for, or being run by, a worker: a request for the handler, a forward pass
 * the worker runs itself with its predictor, or a request for the handler's own description.
 */
sealed interface Job permits Job.ForHandler, Job.Forward, Job.Describe {

    /** @return completed by the worker, or failed by a deadline; whichever comes first wins */
    CompletableFuture<Response> result();

    /** @return when it was queued, by {@link System#nanoTime()} */
    long queuedAt();

    /** @return whether nobody waits for this job any more (answered, timed out) */
    default boolean abandoned() {
        return result().isDone();
    }

    /**
     * A request for the handler, batched with others.
     *
     * @param request what the client sent
     * @param result its answer
     * @param queuedAt when it was queued
     */
    record ForHandler(Request request, CompletableFuture<Response> result, long queuedAt) implements Job {

        /** @param request what the client sent, queued now */
        ForHandler(Request request) {
            this(request, new CompletableFuture<>(), System.nanoTime());
        }

        /**
         * @param request what the client sent, queued now
         * @param sink where its handler's intermediate answers go
         */
        ForHandler(Request request, AnswerSink sink) {
            this(request, new CompletableFuture<>(), sink);
        }

        private ForHandler(Request request, CompletableFuture<Response> result, AnswerSink sink) {
            this(request.withStream(new Intermediates(sink, result)), result, System.nanoTime());
        }

        /** @return whether its handler has sent an intermediate answer, so it cannot be run again */
        boolean streamed() {
            return request.stream() instanceof Intermediates stream && stream.started();
        }
    }

    /**
     * A forward pass run alone: its tensors were shaped by the client, not batched by a handler.
     *
     * @param pass the pass
     * @param result its answer
     * @param queuedAt when it was queued
     */
    record Forward(ForwardPass pass, CompletableFuture<Response> result, long queuedAt) implements Job {

        /** @param pass the pass, queued now */
        Forward(ForwardPass pass) {
            this(pass, new CompletableFuture<>(), System.nanoTime());
        }
    }

    /**
     * The handler's own description ({@link dev.serval.sdk.Describable}), asked of one worker's
     * instance on its thread, as a request is.
     *
     * @param result the description, as a JSON response
     * @param queuedAt when it was queued
     */
    record Describe(CompletableFuture<Response> result, long queuedAt) implements Job {

        /** Queued now. */
        Describe() {
            this(new CompletableFuture<>(), System.nanoTime());
        }
    }
}
