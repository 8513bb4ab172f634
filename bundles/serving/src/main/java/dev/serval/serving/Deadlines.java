package dev.serval.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The serving timer: fails futures that are not completed in time, and runs periodic checks. A
 * deadline is cancelled, and its task dropped, as soon as the future completes, so an answered
 * request holds no memory until its timeout would have expired.
 */
final class Deadlines {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Deadlines() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("serval-deadlines"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * @param task a check to run periodically on the timer thread; it must be quick
     * @param periodMs how often
     * @return the schedule, to cancel
     */
    static ScheduledFuture<?> every(Runnable task, long periodMs) {
        return TIMER.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @param future a future to fail unless it completes in time
     * @param millis the time it has
     * @param error the failure, made when the deadline passes
     */
    static void failAfter(CompletableFuture<?> future, long millis, Supplier<? extends Throwable> error) {
        Runnable expire = () -> future.completeExceptionally(error.get());
        ScheduledFuture<?> deadline = TIMER.schedule(expire, millis, TimeUnit.MILLISECONDS);
        future.whenComplete((result, failure) -> deadline.cancel(false));
    }
}
