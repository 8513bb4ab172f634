package dev.serval.serving;

/**
 * What a worker reports to the pool that runs it. Called on the worker's own thread.
 */
interface WorkerListener {

    /** @param worker its handler is initialized: it takes jobs from now on */
    void ready(Worker worker);

    /**
     * @param worker it could not start (its handler could not be made or initialized) and has
     *     ended; the model cannot be served with this handler
     * @param reason what went wrong, for the management API
     * @param cause the exception
     */
    void failed(Worker worker, String reason, Throwable cause);

    /** @param worker it failed outside its handler calls and has ended: a fresh one takes its place */
    void died(Worker worker);

    /**
     * @param queuedNanos how long a job it took waited in the queue
     */
    void dequeued(long queuedNanos);

    /**
     * @param size the requests of a batch it answered
     * @param nanos how long the handler call or forward pass took
     */
    void served(int size, long nanos);
}
