package dev.serval.serving;

import dev.serval.sdk.Response;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Admits a model version's jobs into its queue and gives each its deadlines: the response
 * timeout from the moment it is queued, and a shorter grace while no worker is there to take it
 * (a handler bundle being updated leaves a gap of some milliseconds, which clients must not see).
 */
final class Dispatcher {

    /** How long a job waits for a handler that went away to come back. */
    static final long HANDLER_GRACE_MS = 5_000;

    private final LoadedModel model;
    private final Supplier<ServingSettings> settings;
    private final JobQueue queue;
    private final Deadlines deadlines;
    private final long graceMs;

    /**
     * @param model the model whose jobs these are, for the answers' messages
     * @param settings the version's serving settings now
     * @param graceMs how long a job waits for a worker while none is there:
     *     {@link #HANDLER_GRACE_MS}, shorter in tests
     */
    Dispatcher(LoadedModel model, Supplier<ServingSettings> settings, Deadlines deadlines, long graceMs) {
        this.model = model;
        this.settings = settings;
        this.queue = new JobQueue(settings.get().jobQueueSize());
        this.deadlines = deadlines;
        this.graceMs = graceMs;
    }

    /** @return the queue the workers take jobs from */
    JobQueue queue() {
        return queue;
    }

    /**
     * @param job a job to queue
     * @param workersServing whether a worker is there to take it, asked once it is queued (so that
     *     workers going away meanwhile are seen); if not, it waits for one
     *     only the grace period
     * @return its answer, failed with a 503 at once when the queue is full
     */
    CompletableFuture<Response> admit(Job job, BooleanSupplier workersServing) {
        ServingSettings now = settings.get();
        if (!queue.offer(job)) {
            return CompletableFuture.failedFuture(ServingException.unavailable("Model \"" + model.name()
                    + "\" version " + model.version() + " is busy: its job queue of " + now.jobQueueSize()
                    + " requests is full"));
        }
        // TorchServe answers 500 "Worker died."; a 504 says what happened, and unlike a 408 it
        // is not a request that clients (browsers among them) retry on their own.
        deadlines.failAfter(job.result(), now.responseTimeoutMs(), () -> timedOut(model, now.responseTimeoutMs()));
        if (!workersServing.getAsBoolean()) {
            awaitWorker(job);
        }
        return job.result();
    }

    /**
     * @param model a model version
     * @param responseTimeoutMs its response timeout
     * @return the 504 of a request it did not answer within that time
     */
    static ServingException timedOut(LoadedModel model, long responseTimeoutMs) {
        return new ServingException(
                504,
                "ResponseTimeoutException",
                "Model " + model.name() + " version " + model.version()
                        + " did not answer within its responseTimeout of " + responseTimeoutMs / 1000 + " s");
    }

    /** Every queued job waits for a worker only the grace period from now: the workers went away. */
    void awaitWorkers() {
        queue.forEach(this::awaitWorker);
    }

    private void awaitWorker(Job job) {
        deadlines.failAfter(
                job.result(),
                graceMs,
                () -> ServingException.unavailable(
                        "Handler '" + model.handlerName() + "' of model " + model.name() + " is not available"));
    }

    /** @param failure the answer for every queued job, removed from the queue */
    void failQueued(ServingException failure) {
        queue.drain().forEach(job -> job.result().completeExceptionally(failure));
    }

    /** @return jobs waiting for a worker */
    int pending() {
        return queue.size();
    }

    /** @return how many more jobs the queue takes */
    int remainingCapacity() {
        return queue.remainingCapacity();
    }
}
