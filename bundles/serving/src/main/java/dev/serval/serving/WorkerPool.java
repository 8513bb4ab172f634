package dev.serval.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one model version: as many as it is scaled to, started once its handler is
 * available and stopped when the handler goes away. Scaling down stops workers after their
 * current batch, so no accepted request is lost. A worker that dies is replaced; one that cannot
 * start leaves the pool, and the version hears of it.
 */
final class WorkerPool implements WorkerListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final LoadedModel model;
    private final Supplier<ServingSettings> settings;
    private final JobQueue queue;
    private final WorkerListener version;
    private final List<Worker> workers = new ArrayList<>();
    private HandlerSource handlers;
    private int target;
    private int nextId = 1;

    /**
     * @param model the model the workers run
     * @param settings the version's serving settings now
     * @param queue where the workers take their jobs
     * @param version told what the workers report, after the pool has acted on it
     */
    WorkerPool(LoadedModel model, Supplier<ServingSettings> settings, JobQueue queue, WorkerListener version) {
        this.model = model;
        this.settings = settings;
        this.queue = queue;
        this.version = version;
        this.target = settings.get().minWorkers();
    }

    /** The handler is available: start the workers. */
    void bind(HandlerSource handlers) {
        synchronized (this) {
            this.handlers = handlers;
        }
        adjust();
    }

    /** The handler went away: stop every worker and wait for them. */
    void unbind() {
        List<Worker> stopping;
        synchronized (this) {
            handlers = null;
            stopping = new ArrayList<>(workers);
            workers.clear();
        }
        stopping.forEach(Worker::stop);
    }

    /**
     * Starts or stops workers until {@code count} run; stopped ones finish their batch first.
     *
     * @param count the number of workers wanted
     */
    void scale(int count) {
        synchronized (this) {
            target = count;
        }
        adjust();
    }

    private void adjust() {
        List<Worker> stopping = new ArrayList<>();
        synchronized (this) {
            while (handlers != null && workers.size() < target) {
                Worker worker = new Worker(model, settings, handlers, queue, String.valueOf(nextId++), this);
                workers.add(worker);
                worker.start();
            }
            while (workers.size() > target) {
                stopping.add(workers.remove(workers.size() - 1));
            }
        }
        stopping.forEach(Worker::stop);
    }

    /**
     * Replaces workers stuck in one handler call for longer than {@code millis}: each is
     * abandoned and a fresh worker takes its place, as TorchServe restarts a worker that missed
     * its response timeout.
     *
     * @param millis how long a handler call may take
     * @return the workers replaced
     */
    List<Worker> replaceStuck(long millis) {
        List<Worker> stuck;
        synchronized (this) {
            stuck = workers.stream().filter(w -> w.busyLongerThan(millis)).toList();
            workers.removeAll(stuck);
        }
        stuck.forEach(Worker::abandon);
        if (!stuck.isEmpty()) {
            adjust();
        }
        return stuck;
    }

    @Override
    public void ready(Worker worker) {
        LOG.info(
                "Model {} version {}: worker {} is serving with handler '{}'",
                model.name(),
                model.version(),
                worker.id(),
                model.handlerName());
        version.ready(worker);
    }

    /** A worker that could not start leaves the pool. */
    @Override
    public void failed(Worker worker, String reason, Throwable cause) {
        synchronized (this) {
            workers.remove(worker);
        }
        version.failed(worker, reason, cause);
    }

    /**
     * A worker that died leaves the pool and a fresh one is started in its place, unless the
     * pool let it go already (scaled down, unbound).
     */
    @Override
    public void died(Worker dead) {
        boolean member;
        synchronized (this) {
            member = workers.remove(dead);
        }
        if (member) {
            adjust();
        }
        version.died(dead);
    }

    @Override
    public void dequeued(long queuedNanos) {
        version.dequeued(queuedNanos);
    }

    @Override
    public void served(int size, long nanos) {
        version.served(size, nanos);
    }

    /** @return the number of workers wanted */
    synchronized int target() {
        return target;
    }

    /** @return the workers now, for reports */
    synchronized List<Worker> workers() {
        return List.copyOf(workers);
    }

    /** @return the workers serving now; asked for every request, so counted without a stream */
    synchronized int ready() {
        int ready = 0;
        for (Worker worker : workers) {
            if (worker.ready()) {
                ready++;
            }
        }
        return ready;
    }
}
