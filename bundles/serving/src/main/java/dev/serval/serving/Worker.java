package dev.serval.serving;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.serval.sdk.Describable;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that takes batches of jobs from its model version's queue and runs them through its own
 * handler instance and predictor. It owns both: they are created, used and released on this thread
 * only. It reports what becomes of it to a {@link WorkerListener}.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long POLL_MS = 100;

    private final LoadedModel model;
    private final Supplier<ServingSettings> settings;
    private final HandlerSource handlers;
    private final JobQueue queue;
    private final WorkerListener listener;
    private final Thread thread;
    private final String id;
    private final Instant startTime = Instant.now();
    private final long createdNanos = System.nanoTime();
    /** How long it took from its creation to READY, in ns; -1 until then. */
    private volatile long startupNanos = -1;

    private volatile boolean ready;
    private volatile boolean stopping;
    /** Whether it was given up as stuck past the response timeout: what its handler answers then is late. */
    private volatile boolean abandoned;
    /** {@link System#nanoTime()} when the handler call in progress began; 0 between calls. */
    private volatile long busySince;

    /**
     * @param model the model it runs
     * @param settings the version's serving settings, read afresh for every batch
     * @param handlers where it gets its handler instance
     * @param queue where it takes its jobs
     * @param id its number within the version
     * @param listener told what becomes of it
     */
    Worker(
            LoadedModel model,
            Supplier<ServingSettings> settings,
            HandlerSource handlers,
            JobQueue queue,
            String id,
            WorkerListener listener) {
        this.model = model;
        this.settings = settings;
        this.handlers = handlers;
        this.queue = queue;
        this.id = id;
        this.listener = listener;
        this.thread = DaemonThreads.create(this, "worker-" + model.name() + "-" + model.version() + "-" + id);
    }

    /** @return the worker's number within its model version */
    String id() {
        return id;
    }

    /** @return when the worker was started */
    Instant startTime() {
        return startTime;
    }

    /** @return how long it took from its creation to READY, in ns, against its startupTimeout; -1 until then */
    long startupNanos() {
        return startupNanos;
    }

    /** @return whether its handler is initialized and it takes jobs */
    boolean ready() {
        return ready;
    }

    void start() {
        thread.start();
    }

    /** @return whether the handler call in progress has run for longer than {@code millis} */
    boolean busyLongerThan(long millis) {
        long since = busySince;
        return since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * Gives up on a worker stuck in its handler without waiting for it: it is interrupted, and
     * if its handler ever returns, the worker ends instead of taking more jobs.
     */
    void abandon() {
        abandoned = true;
        stopping = true;
        thread.interrupt();
    }

    /** @return the thread's name, for logs */
    String name() {
        return thread.getName();
    }

    /** Asks the worker to stop after its current batch, and waits for it. */
    void stop() {
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        Handler handler;
        try {
            handler = handlers.get();
        } catch (RuntimeException e) {
            listener.failed(this, "its handler could not be created: " + e.getMessage(), e);
            return;
        }
        // Libraries inside the handler bundle may look things up through the context class loader.
        thread.setContextClassLoader(handler.getClass().getClassLoader());
        try (Predictor<NDList, NDList> predictor = model.model().newPredictor(new NoopTranslator())) {
            WorkerContext context = new WorkerContext(model.archive(), settings.get(), model.model(), predictor);
            try {
                handler.initialize(context);
            } catch (Exception | LinkageError e) {
                listener.failed(this, "its handler failed to initialize: " + e, e);
                return;
            }
            startupNanos = System.nanoTime() - createdNanos;
            ready = true;
            listener.ready(this);
            serve(handler, context);
        } finally {
            ready = false;
            closeQuietly(handler);
        }
    }

    private void serve(Handler handler, WorkerContext context) {
        List<Job> batch = new ArrayList<>();
        while (!stopping) {
            batch.clear();
            try {
                ServingSettings now = settings.get();
                queue.nextBatch(batch, now.batchSize(), now.maxBatchDelayMs(), now.batchPolicy(), POLL_MS);
                runBatch(handler, context, batch);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                // Past the handler call's own error handling (an OutOfMemoryError while answering a
                // failure, say): this worker's state is unknown, so it fails the jobs it holds and
                // makes way for a fresh one, rather than dying silently with its model still READY.
                died(batch, e);
                return;
            }
        }
    }

    private void runBatch(Handler handler, WorkerContext context, List<Job> batch) {
        long now = System.nanoTime();
        List<Job.ForHandler> forHandler = new ArrayList<>(batch.size());
        for (Job job : batch) {
            if (job instanceof Job.Describe describe) {
                // The management API's describe, queued only to reach the handler on this thread:
                // no request, so no sample of the queue metrics.
                describe(handler, context, describe);
                continue;
            }
            listener.dequeued(now - job.queuedAt());
            if (job instanceof Job.Forward pass) {
                forward(context, pass);
            } else {
                forHandler.add((Job.ForHandler) job);
            }
        }
        if (!forHandler.isEmpty()) {
            run(handler, context, forHandler);
        }
    }

    /** Fails the jobs not yet answered, and has the pool replace this worker. */
    private void died(List<Job> batch, Throwable failure) {
        // One answer for every job: under memory pressure, the less allocated the better.
        ServingException answer = failure instanceof OutOfMemoryError
                ? outOfMemory()
                : new ServingException(500, "InternalServerException", "Worker died.");
        batch.forEach(job -> job.result().completeExceptionally(answer));
        ready = false;
        try {
            LOG.error("Worker {} failed outside its handler call and is replaced", name(), failure);
        } catch (Throwable e) {
            // Logging may fail for the same reason; the worker is replaced all the same.
        }
        listener.died(this);
    }

    /**
     * Answers every job of the batch. When a batch of several fails, each job is retried alone,
     * so one bad input fails only its own request; but one that sent intermediate answers fails.
     */
    private void run(Handler handler, WorkerContext context, List<Job.ForHandler> batch) {
        List<Response> responses;
        long start = System.nanoTime();
        busySince = start;
        try {
            responses = handle(
                    handler,
                    context,
                    batch.stream().map(Job.ForHandler::request).toList());
        } catch (ServingException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
            } else {
                // One whose client already has intermediate answers would get them twice.
                batch.forEach(job -> {
                    if (job.streamed()) {
                        job.result().completeExceptionally(e);
                    } else {
                        run(handler, context, List.of(job));
                    }
                });
            }
            return;
        } finally {
            busySince = 0;
        }
        if (abandoned) {
            // Past the response timeout, whose 504 the request's deadline gives; this says the
            // same should the handler, interrupted, return before the deadline's timer has run.
            ServingException late = Dispatcher.timedOut(model, settings.get().responseTimeoutMs());
            batch.forEach(job -> job.result().completeExceptionally(late));
            return;
        }
        listener.served(batch.size(), System.nanoTime() - start);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(responses.get(i));
        }
    }

    /** Runs a forward pass alone: its tensors were shaped by the client, not batched by a handler. */
    private void forward(WorkerContext context, Job.Forward job) {
        long start = System.nanoTime();
        busySince = start;
        try {
            Response response = job.pass().run(model.model(), context.predictor());
            listener.served(1, System.nanoTime() - start);
            job.result().complete(response);
        } catch (ServingException e) {
            job.result().completeExceptionally(e);
        } catch (Exception | Error e) {
            LOG.error("Model {} version {}: forward pass failed", model.name(), model.version(), e);
            job.result()
                    .completeExceptionally(new ServingException(503, "InternalServerException", "Prediction failed"));
        } finally {
            busySince = 0;
        }
    }

    /** Answers the handler's own description; one that describes nothing answers an empty object. */
    private void describe(Handler handler, WorkerContext context, Job.Describe job) {
        try {
            Map<String, Object> description =
                    handler instanceof Describable describable ? describable.describe(context) : Map.of();
            job.result().complete(Response.json(description == null ? Map.of() : description));
        } catch (Exception | LinkageError e) {
            LOG.error("Model {} version {}: the handler failed to describe itself", model.name(), model.version(), e);
            job.result()
                    .completeExceptionally(new ServingException(
                            503, "InternalServerException", "The handler failed to describe itself: " + e));
        }
    }

    private List<Response> handle(Handler handler, WorkerContext context, List<Request> requests) {
        try {
            return HandlerCalls.handle(handler, requests, context);
        } catch (HandlerException e) {
            throw new ServingException(e.status(), e.type(), e.getMessage());
        } catch (Exception | Error e) {
            if (OutOfMemory.causedBy(e)) {
                LOG.error("Model {} version {}: out of memory", model.name(), model.version(), e);
                throw outOfMemory();
            }
            // Errors too (a StackOverflowError inside an engine, say): the worker must live on.
            LOG.error("Model {} version {}: prediction failed", model.name(), model.version(), e);
            throw new ServingException(503, "InternalServerException", "Prediction failed");
        }
    }

    /** TorchServe's answer when memory runs out. */
    private ServingException outOfMemory() {
        return new ServingException(
                507,
                "InsufficientStorageException",
                "Out of memory while running model " + model.name() + "; try a smaller input or batch");
    }

    private void closeQuietly(Handler handler) {
        try {
            handler.close();
        } catch (RuntimeException e) {
            LOG.warn("Handler of {} failed to close", model.name(), e);
        } finally {
            try {
                handlers.release(handler);
            } catch (RuntimeException e) {
                // The handler's bundle is already gone; nothing left to release.
            }
        }
    }
}
