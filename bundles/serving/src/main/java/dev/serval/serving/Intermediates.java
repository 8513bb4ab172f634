package dev.serval.serving;

import dev.serval.sdk.Response;
import dev.serval.sdk.ResponseStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request's {@link ResponseStream}, as its handler sees it: hands the intermediate answers to
 * the caller's {@link AnswerSink} without keeping them, at most {@link #AHEAD} ahead of what the
 * client has taken. A handler that runs further ahead waits, but never past the request's end: once
 * its answer is given, failed or timed out (the job's response timeout), {@link #send} returns
 * {@code false} at once, so a slow or gone client holds a worker at most until then.
 */
final class Intermediates implements ResponseStream {

    /** The answers handed on but not yet taken by the client that a handler may run ahead by. */
    static final int AHEAD = 8;

    /** How often a handler waiting for the client looks whether the request has ended meanwhile. */
    private static final long POLL_MS = 100;

    private final AnswerSink sink;
    private final CompletableFuture<Response> result;
    /** Handed on, not yet taken; guarded by this. */
    private int ahead;
    /** Whether any answer was handed on; guarded by this. */
    private boolean started;

    /**
     * @param sink where the answers go
     * @param result the request's final answer: once it is done, the stream is closed
     */
    Intermediates(AnswerSink sink, CompletableFuture<Response> result) {
        this.sink = sink;
        this.result = result;
    }

    @Override
    public synchronized boolean send(Response answer) {
        Objects.requireNonNull(answer, "answer");
        try {
            while (ahead >= AHEAD && !result.isDone()) {
                wait(POLL_MS);
            }
        } catch (InterruptedException e) {
            // The worker is being stopped: the handler should stop too.
            Thread.currentThread().interrupt();
            return false;
        }
        if (result.isDone()) {
            return false;
        }
        ahead++;
        started = true;
        CompletionStage<Void> handed;
        try {
            handed = sink.send(answer);
        } catch (RuntimeException e) {
            handed = CompletableFuture.failedFuture(e);
        }
        handed.whenComplete((taken, failure) -> taken(failure));
        return !result.isDone();
    }

    /** @return whether an answer was handed on, so that the request cannot be run again */
    synchronized boolean started() {
        return started;
    }

    private synchronized void taken(Throwable failure) {
        ahead--;
        notifyAll();
        if (failure != null) {
            Throwable cause =
                    failure.getCause() != null && !(failure instanceof ServingException) ? failure.getCause() : failure;
            result.completeExceptionally(
                    cause instanceof ServingException
                            ? cause
                            : new ServingException(
                                    503, "InternalServerException", "The answer could not be sent: " + cause));
        }
    }
}
