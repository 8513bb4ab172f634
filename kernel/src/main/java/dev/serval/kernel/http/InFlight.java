package dev.serval.kernel.http;

import dev.serval.serving.ServingException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers being worked on (a body being read, a request queued or in a worker), so that
 * those a stop's grace period leaves unfinished are answered 503 rather than cut off.
 */
final class InFlight {

    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /**
     * @param work what an answer waits for
     * @return {@code work}, tracked until it completes
     */
    <T> CompletableFuture<T> track(CompletableFuture<T> work) {
        pending.add(work);
        work.whenComplete((result, failure) -> pending.remove(work));
        return work;
    }

    /**
     * @param failure what the answers still waiting get instead
     * @return how many were given up
     */
    int abandon(ServingException failure) {
        int abandoned = 0;
        for (CompletableFuture<?> work : List.copyOf(pending)) {
            if (work.completeExceptionally(failure)) {
                abandoned++;
            }
        }
        return abandoned;
    }
}
