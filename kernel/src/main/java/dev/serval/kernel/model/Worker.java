package dev.serval.kernel.model;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.serval.kernel.threads.DaemonThreads;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.ServiceObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that takes batches of jobs from its model version's queue and runs them through its own
 * handler instance and predictor. It owns both: they are created, used and released on this thread
 * only.
 */
final class Worker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long POLL_MS = 100;

    private final ModelVersion version;
    private final ServiceObjects<Handler> handlers;
    private final JobQueue queue;
    private final Thread thread;
    private final String id;
    private final Instant startTime = Instant.now();
    private volatile boolean ready;
    private volatile boolean stopping;
    /** {@link System#nanoTime()} when the handler call in progress began; 0 between calls. */
    private volatile long busySince;

    Worker(ModelVersion version, ServiceObjects<Handler> handlers, JobQueue queue, String id) {
        this.version = version;
        this.handlers = handlers;
        this.queue = queue;
        this.id = id;
        this.thread = DaemonThreads.create(this, "worker-" + version.name() + "-" + version.version() + "-" + id);
    }

    /** @return the worker's number within its model version */
    String id() {
        return id;
    }

    /** @return when the worker was started */
    Instant startTime() {
        return startTime;
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
            handler = handlers.getService();
        } catch (RuntimeException e) {
            version.workerFailed(this, "its handler could not be created: " + e.getMessage(), e);
            return;
        }
        // Libraries inside the handler bundle may look things up through the context class loader.
        thread.setContextClassLoader(handler.getClass().getClassLoader());
        try (Predictor<NDList, NDList> predictor = version.model().newPredictor(new NoopTranslator())) {
            WorkerContext context = new WorkerContext(version.archive(), version.settings(), version.model(), predictor);
            try {
                handler.initialize(context);
            } catch (Exception | LinkageError e) {
                version.workerFailed(this, "its handler failed to initialize: " + e, e);
                return;
            }
            ready = true;
            version.workerReady(this);
            serve(handler, context);
        } finally {
            ready = false;
            closeQuietly(handler);
        }
    }

    private void serve(Handler handler, WorkerContext context) {
        ServingSettings settings = version.settings();
        List<Job> batch = new ArrayList<>();
        while (!stopping) {
            batch.clear();
            try {
                queue.nextBatch(batch, settings.batchSize(), settings.maxBatchDelayMs(), POLL_MS);
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
        List<Job> forHandler = new ArrayList<>(batch.size());
        for (Job job : batch) {
            version.observer().dequeued(now - job.queuedAt());
            if (job.isForwardPass()) {
                forward(context, job);
            } else {
                forHandler.add(job);
            }
        }
        if (!forHandler.isEmpty()) {
            run(handler, context, forHandler);
        }
    }

    /** Fails the jobs not yet answered, and has the pool replace this worker. */
    private void died(List<Job> batch, Throwable failure) {
        // One answer for every job: under memory pressure, the less allocated the better.
        ServingException answer = failure instanceof OutOfMemoryError ? outOfMemory()
                : new ServingException(500, "InternalServerException", "Worker died.");
        batch.forEach(job -> job.result().completeExceptionally(answer));
        ready = false;
        try {
            LOG.error("Worker {} failed outside its handler call and is replaced", name(), failure);
        } catch (Throwable e) {
            // Logging may fail for the same reason; the worker is replaced all the same.
        }
        version.workerDied(this);
    }

    /**
     * Answers every job of the batch. When a batch of several fails, each job is retried alone,
     * so one bad input fails only its own request.
     */
    private void run(Handler handler, WorkerContext context, List<Job> batch) {
        List<Response> responses;
        long start = System.nanoTime();
        busySince = start;
        try {
            responses = handle(handler, context, batch.stream().map(Job::request).toList());
        } catch (ServingException e) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(e);
            } else {
                batch.forEach(job -> run(handler, context, List.of(job)));
            }
            return;
        } finally {
            busySince = 0;
        }
        version.served(batch.size());
        version.observer().batchServed(batch.size(), System.nanoTime() - start);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(responses.get(i));
        }
    }

    /** Runs a forward pass alone: its tensors were shaped by the client, not batched by a handler. */
    private void forward(WorkerContext context, Job job) {
        long start = System.nanoTime();
        busySince = start;
        try {
            Response response = job.pass().run(version.model(), context.predictor());
            version.served(1);
            version.observer().batchServed(1, System.nanoTime() - start);
            job.result().complete(response);
        } catch (ServingException e) {
            job.result().completeExceptionally(e);
        } catch (Exception | Error e) {
            LOG.error("Model {} version {}: forward pass failed", version.name(), version.version(), e);
            job.result().completeExceptionally(new ServingException(503, "InternalServerException", "Prediction failed"));
        } finally {
            busySince = 0;
        }
    }

    private List<Response> handle(Handler handler, WorkerContext context, List<Request> requests) {
        try {
            return HandlerCalls.handle(handler, requests, context);
        } catch (HandlerException e) {
            throw new ServingException(e.status(), e.type(), e.getMessage());
        } catch (Exception | Error e) {
            if (OutOfMemory.causedBy(e)) {
                LOG.error("Model {} version {}: out of memory", version.name(), version.version(), e);
                throw outOfMemory();
            }
            // Errors too (a StackOverflowError inside an engine, say): the worker must live on.
            LOG.error("Model {} version {}: prediction failed", version.name(), version.version(), e);
            throw new ServingException(503, "InternalServerException", "Prediction failed");
        }
    }

    /** TorchServe's answer when memory runs out. */
    private ServingException outOfMemory() {
        return new ServingException(507, "InsufficientStorageException",
                "Out of memory while running model " + version.name() + "; try a smaller input or batch");
    }

    private void closeQuietly(Handler handler) {
        try {
            handler.close();
        } catch (RuntimeException e) {
            LOG.warn("Handler of {} failed to close", version.name(), e);
        } finally {
            try {
                handlers.ungetService(handler);
            } catch (RuntimeException e) {
                // The handler's bundle is already gone; nothing left to release.
            }
        }
    }
}
