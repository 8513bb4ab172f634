package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    private final JobQueue queue = new JobQueue(10);

    private static Job job(String body) {
        return new Job.ForHandler(Request.builder(body.getBytes()).build());
    }

    /** @return a job that arrived {@code msAgo} before now */
    private static Job arrived(String body, long msAgo) {
        return new Job.ForHandler(
                Request.builder(body.getBytes()).build(),
                new CompletableFuture<>(),
                System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(msAgo));
    }

    private static List<String> bodies(List<Job> batch) {
        return batch.stream()
                .map(j -> ((Job.ForHandler) j).request().bodyAsString())
                .toList();
    }

    private List<Job> nextBatch(int batchSize, long maxDelayMs, long pollMs) throws InterruptedException {
        return nextBatch(batchSize, maxDelayMs, BatchPolicy.ADAPTIVE, pollMs);
    }

    private List<Job> nextBatch(int batchSize, long maxDelayMs, BatchPolicy policy, long pollMs)
            throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        queue.nextBatch(batch, batchSize, maxDelayMs, policy, pollMs);
        return batch;
    }

    /** Asserts the queued jobs are taken as {@code expected} in under 1 s, well before {@code maxDelayMs}. */
    private void assertTakenWithoutWaitingOutTheDelay(List<String> expected, long maxDelayMs)
            throws InterruptedException {
        long start = System.nanoTime();
        assertEquals(expected, bodies(nextBatch(8, maxDelayMs, 10)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 1_000, "took " + tookMs + " ms");
    }

    @Test
    void takesAtMostBatchSizeInArrivalOrder() throws InterruptedException {
        for (String body : List.of("a", "b", "c")) {
            queue.offer(job(body));
        }

        assertEquals(List.of("a", "b"), bodies(nextBatch(2, 0, 10)));
        assertEquals(List.of("c"), bodies(nextBatch(2, 0, 10)));
    }

    @Test
    void returnsNothingWhenNoJobComes() throws InterruptedException {
        assertTrue(nextBatch(4, 0, 10).isEmpty());
    }

    @Test
    void aLoneJobIsTakenAtOnceHoweverLongTheDelay() throws InterruptedException {
        queue.offer(job("a"));

        assertTakenWithoutWaitingOutTheDelay(List.of("a"), 2_000);
    }

    @Test
    void jobsQueuedTogetherAreTakenTogetherWithoutWaitingForMore() throws InterruptedException {
        for (String body : List.of("a", "b", "c")) {
            queue.offer(job(body));
        }

        assertTakenWithoutWaitingOutTheDelay(List.of("a", "b", "c"), 2_000);
    }

    @Test
    void waitsForTheNextWhileJobsKeepArrivingAtTheGapSeen() throws InterruptedException {
        // 500 ms apart, so the next is expected within 1 s of the latest: c, 50 ms on, is gathered;
        // then nothing comes within twice the 50 ms gap, which ends the batch.
        queue.offer(arrived("a", 500));
        queue.offer(arrived("b", 0));
        Thread late = new Thread(() -> {
            sleep(50);
            queue.offer(job("c"));
        });
        late.start();

        assertEquals(List.of("a", "b", "c"), bodies(nextBatch(8, 5_000, 10)));
        late.join();
    }

    @Test
    void stopsWaitingAtTheFirstGapLongerThanTheOnesSeen() throws InterruptedException {
        // 20 ms apart: none comes within 40 ms of b.
        queue.offer(arrived("a", 40));
        queue.offer(arrived("b", 20));

        assertTakenWithoutWaitingOutTheDelay(List.of("a", "b"), 5_000);
    }

    @Test
    void waitsNoLongerThanTheDelayAfterTheWorkerCameForTheBatch() throws InterruptedException {
        // Their 1.5 s gap would allow 3 s more; the delay, counted from now, is 300 ms.
        queue.offer(arrived("a", 2_500));
        queue.offer(arrived("b", 1_000));

        long start = System.nanoTime();
        assertEquals(List.of("a", "b"), bodies(nextBatch(8, 300, 10)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 250 && tookMs < 1_000, "took " + tookMs + " ms");
    }

    @Test
    void jobsQueuedWhileTheWorkerWasBusyWaitForTheClientsItHasJustAnswered() throws InterruptedException {
        // A batch of four, 100 ms apart: its clients are expected back at about that gap.
        for (int i = 0; i < 4; i++) {
            queue.offer(arrived("p" + i, 2_000 - 100 * i));
        }
        assertEquals(4, nextBatch(4, 5_000, 10).size());
        // Two came while the worker ran it, longer ago than maxBatchDelay and close together; the
        // other two clients are still on their way. Counted from the oldest arrival, the wait was
        // over before it began, and the batch ran with two.
        queue.offer(arrived("a", 1_500));
        queue.offer(arrived("b", 1_499));
        Thread late = new Thread(() -> {
            sleep(60);
            queue.offer(job("c"));
            sleep(60);
            queue.offer(job("d"));
        });
        late.start();

        assertEquals(List.of("a", "b", "c", "d"), bodies(nextBatch(4, 1_000, 10)));
        late.join();
    }

    /** Takes a full batch of two that arrived 1 s apart: a lone job after it expects company within 2 s. */
    private void takeABatchThatArrived1sApart() throws InterruptedException {
        queue.offer(arrived("a", 2_000));
        queue.offer(arrived("b", 1_000));
        assertEquals(List.of("a", "b"), bodies(nextBatch(2, 5_000, 10)));
    }

    @Test
    void aLoneJobAfterABatchOfSeveralWaitsForItsFollowersAtThatBatchsGap() throws InterruptedException {
        takeABatchThatArrived1sApart();
        queue.offer(job("c"));
        Thread late = new Thread(() -> {
            sleep(50);
            queue.offer(job("d"));
        });
        late.start();

        assertEquals(List.of("c", "d"), bodies(nextBatch(8, 5_000, 10)));
        late.join();
    }

    @Test
    void aLoneJobThatWaitedInVainMakesTheNextOneRunAtOnce() throws InterruptedException {
        takeABatchThatArrived1sApart();
        queue.offer(job("c"));
        assertEquals(List.of("c"), bodies(nextBatch(8, 300, 10)));
        queue.offer(job("d"));

        assertTakenWithoutWaitingOutTheDelay(List.of("d"), 5_000);
    }

    @Test
    void fixedWaitsUpToTheDelayForTheBatchToFill() throws InterruptedException {
        queue.offer(job("a"));
        Thread late = new Thread(() -> {
            sleep(50);
            queue.offer(job("b"));
        });
        late.start();

        assertEquals(List.of("a", "b"), bodies(nextBatch(2, 5_000, BatchPolicy.FIXED, 10)));
        late.join();
    }

    @Test
    void fixedRunsAPartialBatchWhenTheDelayPasses() throws InterruptedException {
        queue.offer(job("a"));
        long start = System.nanoTime();

        assertEquals(List.of("a"), bodies(nextBatch(8, 50, BatchPolicy.FIXED, 10)));
        assertTrue(System.nanoTime() - start >= 50_000_000L);
    }

    @Test
    void refusesJobsBeyondItsCapacity() {
        JobQueue small = new JobQueue(2);

        assertTrue(small.offer(job("a")));
        assertTrue(small.offer(job("b")));
        assertFalse(small.offer(job("c")));
        assertEquals(0, small.remainingCapacity());
    }

    @Test
    void skipsJobsNobodyWaitsFor() throws InterruptedException {
        Job answered = job("timed out");
        answered.result().complete(Response.json("late"));
        queue.offer(answered);
        queue.offer(job("b"));

        assertEquals(List.of("b"), bodies(nextBatch(2, 0, 10)));
    }

    @Test
    void aHugeBatchSizeClaimsNoMemoryOfItsOwn() throws InterruptedException {
        queue.offer(job("a"));

        assertEquals(List.of("a"), bodies(nextBatch(Integer.MAX_VALUE, 0, 10)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
