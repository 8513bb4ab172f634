package dev.serval.kernel.model;

import dev.serval.sdk.Handler;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.ServiceObjects;

/**
 * The workers of one model version: as many as it is scaled to, started once its handler is
 * available and stopped when the handler goes away. Scaling down stops workers after their
 * current batch, so no accepted request is lost.
 */
final class WorkerPool {

    private final ModelVersion version;
    private final JobQueue queue;
    private final List<Worker> workers = new ArrayList<>();
    private ServiceObjects<Handler> handlers;
    private int target;
    private int nextId = 1;

    WorkerPool(ModelVersion version, JobQueue queue, int target) {
        this.version = version;
        this.queue = queue;
        this.target = target;
    }

    /** The handler is available: start the workers. */
    void bind(ServiceObjects<Handler> handlers) {
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
                Worker worker = new Worker(version, handlers, queue, String.valueOf(nextId++));
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

    /**
     * A worker that died leaves the pool and a fresh one is started in its place, unless the
     * pool let it go already (scaled down, unbound).
     */
    void replace(Worker dead) {
        boolean member;
        synchronized (this) {
            member = workers.remove(dead);
        }
        if (member) {
            adjust();
        }
    }

    /** A worker that could not start leaves the pool. */
    synchronized void remove(Worker worker) {
        workers.remove(worker);
    }

    /** @return the number of workers wanted */
    synchronized int target() {
        return target;
    }

    /** @return the workers now, for reports */
    synchronized List<Worker> workers() {
        return List.copyOf(workers);
    }

    /** @return the workers serving now */
    synchronized int ready() {
        return (int) workers.stream().filter(Worker::ready).count();
    }
}
