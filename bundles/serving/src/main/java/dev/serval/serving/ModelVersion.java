package dev.serval.serving;

import ai.djl.Model;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One version of a model being served: the {@link LoadedModel} (weights loaded once, shared by
 * the workers), a {@link Dispatcher} admitting its jobs into a queue, and a {@link WorkerPool}
 * running the handler its manifest names, from the {@link HandlerSource} it is bound to.
 *
 * <p>The handler may come and go (on the server, a bundle updated in place leaves a gap of some
 * milliseconds). While it is gone, jobs wait in the queue for {@link #HANDLER_GRACE_MS} rather
 * than failing, so an update is invisible to clients.
 */
public final class ModelVersion implements AutoCloseable {

    /** How long a job waits for a handler that went away to come back. */
    public static final long HANDLER_GRACE_MS = Dispatcher.HANDLER_GRACE_MS;
    /**
     * How long workers have to become READY before a caller gives up on them, unless the model's
     * {@code startupTimeout} says otherwise: TorchServe's default.
     */
    public static final long STARTUP_TIMEOUT_MS = 120_000;

    private static final long DRAIN_MS = 30_000;
    /** How often workers are checked for handler calls past the response timeout. */
    private static final long WATCHDOG_MS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersion.class);

    /** What a model version is doing, as the management API reports it. */
    public enum Status {
        /** Its handler is not (or no longer) deployed. */
        WAITING_FOR_HANDLER,
        /** Its workers are starting. */
        STARTING,
        /** It serves. */
        READY,
        /** It could not start; the management API says why. */
        FAILED,
        /** It was unloaded. */
        STOPPED
    }

    /**
     * One worker, as the management API reports it.
     *
     * @param id its number within the version
     * @param startTime when it started
     * @param status whether it serves yet
     */
    public record WorkerInfo(String id, Instant startTime, Status status) {

        /** A worker's state, by TorchServe's names for it in the describe answer. */
        public enum Status {
            /** Loading its handler and predictor: it takes no job yet. */
            STARTING,
            /** Taking jobs. */
            READY
        }
    }

    private final LoadedModel loaded;
    private final Deadlines deadlines;
    private final Dispatcher dispatcher;
    private final WorkerPool pool;
    private final LongAdder batches = new LongAdder();
    private final LongAdder requests = new LongAdder();

    private volatile ServingSettings settings;
    private ScheduledFuture<?> watchdog;
    private volatile ServingObserver observer = ServingObserver.NONE;
    private HandlerSource handlers;
    private boolean everBound;
    private volatile String failure;
    private volatile boolean closed;

    /**
     * A version with no worker yet: they start once it is {@link #bind bound} to a handler source.
     *
     * @param loaded the model, which the version owns from now on: {@link #close()} unloads it
     * @param settings how it is served
     * @param deadlines the timer of its requests' timeouts and of its workers' watchdog, closed
     *     by its owner after the version
     */
    public ModelVersion(LoadedModel loaded, ServingSettings settings, Deadlines deadlines) {
        this(loaded, settings, deadlines, HANDLER_GRACE_MS);
    }

    /**
     * @param loaded the model, owned by the version
     * @param settings how it is served
     * @param deadlines the timer of its requests' timeouts and of its workers' watchdog
     * @param handlerGraceMs how long jobs wait for a handler that went away: tests shorten it
     */
    ModelVersion(LoadedModel loaded, ServingSettings settings, Deadlines deadlines, long handlerGraceMs) {
        this.loaded = loaded;
        this.settings = settings;
        this.deadlines = deadlines;
        this.dispatcher = new Dispatcher(loaded, this::settings, deadlines, handlerGraceMs);
        this.pool = new WorkerPool(loaded, this::settings, dispatcher.queue(), new Reports());
    }

    /** @return the model as loaded */
    public LoadedModel loaded() {
        return loaded;
    }

    /** @return the name the model is served under */
    public String name() {
        return loaded.name();
    }

    /** @return the version string from the manifest */
    public String version() {
        return loaded.version();
    }

    /** @return the handler name from the manifest */
    public String handlerName() {
        return loaded.handlerName();
    }

    /** @return the archive or folder the model came from */
    public ModelArchive archive() {
        return loaded.archive();
    }

    /** @return DJL's name of the engine running the model */
    public String engine() {
        return loaded.engine();
    }

    /** @return when the model finished loading */
    public Instant loadedAt() {
        return loaded.loadedAt();
    }

    /** @return how long extracting the archive and loading the engine's model took */
    public Duration loadTime() {
        return loaded.loadTime();
    }

    /** @return the model's inputs and outputs, as far as its engine describes them */
    public Signature signature() {
        return loaded.signature();
    }

    /** @return the engine's model: weights loaded once, shared by the workers */
    public Model model() {
        return loaded.model();
    }

    /** @param observer told about every request from now on */
    public void observeWith(ServingObserver observer) {
        this.observer = observer;
    }

    /** @return how this version is served: workers, batching, timeouts */
    public ServingSettings settings() {
        return settings;
    }

    /** @return the workers now: id, start time and whether each is serving */
    public List<WorkerInfo> workers() {
        return pool.workers().stream()
                .map(w -> new WorkerInfo(
                        w.id(), w.startTime(), w.ready() ? WorkerInfo.Status.READY : WorkerInfo.Status.STARTING))
                .toList();
    }

    /** @return the number of workers serving now */
    public int readyWorkers() {
        return pool.ready();
    }

    /** @return jobs waiting for a worker */
    public int pendingJobs() {
        return dispatcher.pending();
    }

    /** @return how many more jobs the queue takes */
    public int remainingCapacity() {
        return dispatcher.remainingCapacity();
    }

    /**
     * Runs {@code min} workers from now on (TorchServe's scale workers).
     *
     * @param min workers to run
     * @param max the most the model may be scaled to
     * @throws ServingException 404 when the version has been unloaded, by an unregister call
     *     that came between the caller's lookup and this
     */
    public void scale(int min, int max) {
        synchronized (this) {
            if (closed) {
                throw gone();
            }
            settings = settings.withWorkers(min, max);
        }
        pool.scale(min);
        if (min == 0) {
            // No worker will take what waits in the queue: it is answered as a request arriving
            // now is, rather than at its response timeout.
            dispatcher.failQueued(noWorker());
        }
    }

    /**
     * @param timeoutMs how long to wait
     * @return whether as many workers as wanted were serving within the time
     * @throws InterruptedException when interrupted while waiting
     * @throws ServingException 404 when the version is unloaded before or while waiting
     */
    public boolean awaitWorkers(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (pool.ready() < pool.target() && failure == null && !closed) {
            if (System.currentTimeMillis() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        if (closed) {
            throw gone();
        }
        return pool.ready() >= pool.target() && failure == null;
    }

    /**
     * Waits for what a caller of a synchronous register or scale, or a roll-out, waits for: a
     * handler ({@link #HANDLER_GRACE_MS} at most, as a request would), then as many workers as
     * wanted READY, each within the version's {@link ServingSettings#startupTimeoutMs() startupTimeout}
     * of its start.
     *
     * @return why they did not start, or empty once they serve
     * @throws InterruptedException when interrupted while waiting
     * @throws ServingException 404 when the version is unloaded before or while waiting
     */
    public Optional<String> awaitStartup() throws InterruptedException {
        long handlerDeadline = System.currentTimeMillis() + HANDLER_GRACE_MS;
        while (status() == Status.WAITING_FOR_HANDLER) {
            if (System.currentTimeMillis() >= handlerDeadline) {
                return Optional.of("it needs handler '" + handlerName() + "', which no deployed bundle provides");
            }
            Thread.sleep(10);
        }
        long timeoutMs = settings.startupTimeoutMs();
        // Each worker has its startupTimeout from its own start, as in TorchServe, where 0 leaves
        // a worker no time at all: one READY by now may still have taken longer.
        if (!awaitWorkers(timeoutMs)
                || pool.workers().stream().anyMatch(w -> w.startupNanos() > timeoutMs * 1_000_000)) {
            return Optional.of(failure()
                    .orElse("its workers were not READY within its startupTimeout of " + timeoutMs / 1000 + " s"));
        }
        return Optional.empty();
    }

    /** An unloaded version is no longer there, as far as callers are concerned: not a failure. */
    private ServingException gone() {
        return ServingException.versionNotFound(name(), version());
    }

    /** @return handler calls that answered their batch */
    public long servedBatches() {
        return batches.sum();
    }

    /** @return requests answered by those calls */
    public long servedRequests() {
        return requests.sum();
    }

    /**
     * @return why the version cannot be served (its handler could not be made or initialized),
     *     while it is {@link Status#FAILED}
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** @return what the model is doing */
    public synchronized Status status() {
        if (closed) {
            return Status.STOPPED;
        }
        if (failure != null) {
            return Status.FAILED;
        }
        if (!everBound || handlers == null) {
            return Status.WAITING_FOR_HANDLER;
        }
        return pool.ready() > 0 || pool.target() == 0 ? Status.READY : Status.STARTING;
    }

    /**
     * @return whether it serves with its minimum workers READY, and with at least one: KServe's
     *     model readiness, which says whether a request would be answered
     */
    public boolean ready() {
        return status() == Status.READY && pool.ready() >= Math.max(1, pool.target());
    }

    /**
     * @return whether its minimum workers are READY and it has not failed: what {@code /ping}
     *     asks of a start-up model, as TorchServe does; a minimum of 0 asks for no worker, since
     *     an operator who scales a model to 0 wants it so
     */
    public boolean hasMinimumWorkers() {
        return !closed && failure == null && pool.ready() >= pool.target();
    }

    /**
     * Queues a request for the workers' handlers.
     *
     * @param request the request
     * @return the response, or a {@link ServingException} when it cannot be served
     */
    public CompletableFuture<Response> submit(Request request) {
        return enqueue(new Job.ForHandler(request));
    }

    /**
     * Queues a request whose handler may send intermediate answers before its final one
     * ({@link dev.serval.sdk.ResponseStream}).
     *
     * @param request the request
     * @param sink where the intermediate answers go, as they come
     * @return the final response, or a {@link ServingException} when it cannot be served, the
     *     answers cannot be sent, or the client takes none until the response timeout
     */
    public CompletableFuture<Response> submit(Request request, AnswerSink sink) {
        return enqueue(new Job.ForHandler(request, sink));
    }

    /**
     * Queues a forward pass that a worker runs with its own predictor, bypassing the handler.
     *
     * @param pass the pass
     * @return its answer, or a {@link ServingException} when it cannot be run
     */
    public CompletableFuture<Response> forward(ForwardPass pass) {
        return enqueue(new Job.Forward(pass));
    }

    /**
     * Asks one worker's handler for its own description ({@link dev.serval.sdk.Describable}),
     * queued as a request is, so that the worker's thread alone calls its handler.
     *
     * @return the description as a JSON response: an empty object for a handler that has none
     */
    public CompletableFuture<Response> describeHandler() {
        return enqueue(new Job.Describe());
    }

    private CompletableFuture<Response> enqueue(Job job) {
        if (!(job instanceof Job.Describe)) {
            // A description is the management API's, not an inference request.
            observer.received();
        }
        String reason = unavailableReason();
        if (reason != null) {
            return CompletableFuture.failedFuture(ServingException.unavailable(reason));
        }
        if (pool.target() == 0) {
            return CompletableFuture.failedFuture(noWorker());
        }
        return dispatcher.admit(job, () -> pool.ready() > 0);
    }

    /** TorchServe's answer for a model scaled to no worker. */
    private ServingException noWorker() {
        return ServingException.unavailable("Model \"" + name()
                + "\" has no worker to serve inference request. Please use scale workers API to add workers.");
    }

    private synchronized String unavailableReason() {
        if (closed) {
            return "Model " + name() + " version " + version() + " is being unloaded";
        }
        if (failure != null) {
            return "Model " + name() + " failed to load: " + failure;
        }
        if (!everBound) {
            return "Model " + name() + " needs handler '" + handlerName() + "', which no deployed bundle provides";
        }
        return null;
    }

    /**
     * The handler this version needs is available: its workers start. A version bound already
     * keeps its source.
     *
     * @param handlers where the workers get their handler instances
     */
    public synchronized void bind(HandlerSource handlers) {
        if (closed || this.handlers != null) {
            return;
        }
        this.handlers = handlers;
        everBound = true;
        failure = null;
        pool.bind(handlers);
        if (watchdog == null) {
            watchdog = deadlines.every(this::replaceStuckWorkers, WATCHDOG_MS);
        }
    }

    private void replaceStuckWorkers() {
        for (Worker worker : pool.replaceStuck(settings.responseTimeoutMs())) {
            LOG.warn(
                    "Worker {} was stuck in its handler for over {} s; replaced by a new worker",
                    worker.name(),
                    settings.responseTimeoutMs() / 1000);
        }
    }

    /**
     * The handler went away: its workers stop after their batch; queued jobs wait for another
     * source for {@link #HANDLER_GRACE_MS}.
     *
     * @param handlers a source; nothing happens unless the version is bound to it (by
     *     {@code equals})
     */
    public void unbind(HandlerSource handlers) {
        synchronized (this) {
            if (!handlers.equals(this.handlers)) {
                return;
            }
            this.handlers = null;
        }
        pool.unbind();
        dispatcher.awaitWorkers();
    }

    /** What the workers report, past what their pool does with it. */
    private final class Reports implements WorkerListener {

        @Override
        public void ready(Worker worker) {
            // The pool has logged it; status() reads the pool.
        }

        @Override
        public void failed(Worker worker, String reason, Throwable cause) {
            LOG.error("Model {} version {} cannot be served: {}", name(), version(), reason, cause);
            failure = reason;
            dispatcher.failQueued(ServingException.unavailable("Model " + name() + " failed to load: " + reason));
        }

        @Override
        public void died(Worker worker) {
            // The pool has started another in its place.
        }

        @Override
        public void dequeued(long queuedNanos) {
            observer.dequeued(queuedNanos);
        }

        @Override
        public void served(int size, long nanos) {
            batches.increment();
            requests.add(size);
            observer.batchServed(size, nanos);
        }
    }

    /**
     * Retires the version: lets queued jobs finish (up to 30 s), stops the workers, closes the
     * engine's model and removes the folder it was extracted into.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.currentTimeMillis() + DRAIN_MS;
        while (dispatcher.pending() > 0 && pool.ready() > 0 && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        synchronized (this) {
            handlers = null;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        pool.unbind();
        dispatcher.failQueued(
                ServingException.unavailable("Model " + name() + " version " + version() + " was unloaded"));
        loaded.unload();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
