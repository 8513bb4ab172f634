package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    private final JobQueue queue = new JobQueue(10);

    private static Job job(String body) {
        return new Job.ForHandler(Request.builder(body.getBytes()).build());
    }

    private static List<String> bodies(List<Job> batch) {
        return batch.stream().map(j -> ((Job.ForHandler) j).request().bodyAsString()).toList();
    }

    private List<Job> nextBatch(int batchSize, long maxDelayMs, long pollMs) throws InterruptedException {
        List<Job> batch = new ArrayList<>();
        queue.nextBatch(batch, batchSize, maxDelayMs, pollMs);
        return batch;
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
    void waitsUpToTheDelayForTheBatchToFill() throws InterruptedException {
        queue.offer(job("a"));
        Thread late = new Thread(() -> {
            sleep(50);
            queue.offer(job("b"));
        });
        late.start();

        assertEquals(List.of("a", "b"), bodies(nextBatch(2, 5_000, 10)));
        late.join();
    }

    @Test
    void runsAPartialBatchWhenTheDelayPasses() throws InterruptedException {
        queue.offer(job("a"));
        long start = System.nanoTime();

        assertEquals(List.of("a"), bodies(nextBatch(8, 50, 10)));
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
