package dev.serval.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The serving timer of the model versions one {@link ModelLoader} makes: it fails jobs that are
 * not answered in time, and runs each version's periodic check of its workers. A deadline is
 * cancelled, and its task dropped, as soon as its job is answered, so an answered request holds no
 * memory until its timeout would have expired.
 *
 * <p>One thread, owned by whoever made the loader (the server, an embedded model, the test kit's
 * model) and closed by it after the versions: not a static one, which an application that embeds
 * models and is itself redeployed (an application server, a test JVM) would leak with its class
 * loader.
 */
public final class Deadlines implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer =
            new ScheduledThreadPoolExecutor(1, DaemonThreads.named("serval-deadlines"));

    /** A timer whose thread starts with its first deadline. */
    public Deadlines() {
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * @param task a check to run periodically on the timer thread; it must be quick
     * @param periodMs how often
     * @return the schedule, to cancel
     */
    ScheduledFuture<?> every(Runnable task, long periodMs) {
        return timer.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @param future a future to fail unless it completes in time
     * @param millis the time it has
     * @param error the failure, made when the deadline passes
     */
    void failAfter(CompletableFuture<?> future, long millis, Supplier<? extends Throwable> error) {
        Runnable expire = () -> future.completeExceptionally(error.get());
        ScheduledFuture<?> deadline = timer.schedule(expire, millis, TimeUnit.MILLISECONDS);
        future.whenComplete((result, failure) -> deadline.cancel(false));
    }

    /** Stops the thread, dropping what is scheduled: for after the versions it served are closed. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
