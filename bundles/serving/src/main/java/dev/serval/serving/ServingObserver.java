package dev.serval.serving;

/**
 * What a model version reports while serving, for metrics. Called on request and worker threads
 * for every request, so implementations must be cheap and must not block.
 */
public interface ServingObserver {

    /** Observes nothing: a version's observer until one is set. */
    ServingObserver NONE = new ServingObserver() {};

    /** A request reached the version (whether or not it is then accepted). */
    default void received() {}

    /**
     * A worker took a request from the queue.
     *
     * @param queuedNanos how long it waited there
     */
    default void dequeued(long queuedNanos) {}

    /**
     * A handler call or forward pass answered a batch.
     *
     * @param size the requests in it
     * @param nanos how long the call took; each of its requests waited that long
     */
    default void batchServed(int size, long nanos) {}
}
