package dev.serval.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The jobs of one model version, bounded as TorchServe's {@code job_queue_size} bounds them, and
 * taken by its workers a batch at a time, as the version's {@link BatchPolicy} says:
 *
 * <ul>
 *   <li>{@link BatchPolicy#ADAPTIVE} (the default): a free worker takes the first job and, without
 *       waiting, every job queued behind it, up to {@code batchSize}. It then waits for another
 *       only while jobs keep arriving: it expects the next within twice the gap it expects between
 *       arrivals (twice: the gaps within a burst vary with how the threads that queue them are
 *       scheduled), counted from the latest arrival or from when it came for the batch, whichever
 *       is later, and the first that does not come by then ends the batch; nor does it wait past
 *       {@code maxBatchDelay} after it came for the batch. The gap it expects is the larger of the
 *       latest two arrivals' and the mean gap of the previous batch, if that had several (the
 *       clients it answered come back together); after a batch of one, a lone job waits for
 *       nothing: one client alone never waits.
 *   <li>{@link BatchPolicy#FIXED} (TorchServe's): a worker holding fewer than {@code batchSize}
 *       jobs waits up to {@code maxBatchDelay} after taking the first for more, then runs what it
 *       has.
 * </ul>
 *
 * <p>Why adaptive: under load the queue fills while the worker runs the batch before, so the
 * batch is already there when it is free (at 32 clients, full batches without waiting); with one
 * client, nothing else is coming, and waiting, as TorchServe does, adds {@code maxBatchDelay} to
 * every request; with two workers and as many clients as one batch, neither batch ever fills, and
 * both would wait out the delay on every batch. Lingering for a burst's stragglers, at the gap the
 * burst itself shows, catches the requests a client pool sends together (answers written at once
 * come back at once) for the price of about one gap per batch: at 8 clients and one worker, batches
 * of 5.6 requests on average, against 5.0 (a third of them single) when a lone job never waits.
 * The wait is counted from when the worker is free, not from the jobs' arrivals:
 * when a batch takes longer than {@code maxBatchDelay} to run (DistilBERT's 32 take 15 ms), the
 * jobs queued meanwhile had all waited past it, so a wait bounded by the oldest arrival, as
 * Triton's queue delay is, was over before it began, and the clients just answered, whose
 * requests were still being read, missed the batch: at 32 clients and one worker, batches of 19
 * on average against the fixed delay's 32, and 0.78× its throughput (2026-12-03, bench/). This
 * is Triton's dynamic batcher with {@code max_queue_delay_microseconds} 0, which batches what is
 * queued when an instance is free and delays nothing, plus a wait taken only while arrivals show
 * that more are coming; DJL Serving's batch aggregator drains what is queued too, then, as
 * TorchServe, waits up to {@code max_batch_delay} for more.
 */
final class JobQueue {

    private final BlockingQueue<Job> jobs;
    /**
     * The mean gap between the arrivals of the latest batch of several, in ns: how soon a lone
     * job's followers are expected; 0 after a batch of one, so that one client alone never waits.
     * Each worker's batch sets it whole, so a stale value from another worker only shifts a wait.
     */
    private volatile long burstGapNanos;

    /** @param capacity the most jobs that may wait */
    JobQueue(int capacity) {
        jobs = new LinkedBlockingQueue<>(capacity);
    }

    /** @return whether the job was queued; false when the queue is full */
    boolean offer(Job job) {
        return jobs.offer(job);
    }

    int remainingCapacity() {
        return jobs.remainingCapacity();
    }

    int size() {
        return jobs.size();
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Applies {@code action} to every waiting job, leaving them queued. */
    void forEach(Consumer<Job> action) {
        jobs.forEach(action);
    }

    /** @return every waiting job, removed from the queue; the caller answers them */
    List<Job> drain() {
        List<Job> drained = new ArrayList<>();
        jobs.drainTo(drained);
        return drained;
    }

    /**
     * Moves the next jobs nobody has given up on into {@code batch}, in arrival order; none when
     * none came. They go into the caller's list as they are taken, so that a worker failing
     * midway still knows every job it holds.
     *
     * @param batch where the jobs go; its capacity is not {@code batchSize}, which is only a
     *     ceiling
     * @param batchSize the most jobs to take
     * @param maxDelayMs the longest a batch waits to fill, as {@code policy} counts it
     * @param policy whether it waits only while jobs keep arriving, or for {@code maxDelayMs}
     * @param pollMs how long to wait for a first job
     * @throws InterruptedException when the worker is interrupted while waiting
     */
    void nextBatch(List<Job> batch, int batchSize, long maxDelayMs, BatchPolicy policy, long pollMs)
            throws InterruptedException {
        Job first = next(TimeUnit.MILLISECONDS.toNanos(pollMs));
        if (first == null) {
            return;
        }
        batch.add(first);
        long maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        if (policy == BatchPolicy.FIXED) {
            fill(batch, batchSize, System.nanoTime() + maxDelayNanos);
            return;
        }
        // What was queued when the worker came for it joins without waiting.
        long free = System.nanoTime();
        fill(batch, batchSize, free);
        long deadline = free + maxDelayNanos;
        while (batch.size() < batchSize) {
            long latest = batch.get(batch.size() - 1).queuedAt();
            long latestGap =
                    batch.size() > 1 ? latest - batch.get(batch.size() - 2).queuedAt() : 0;
            long gap = Math.max(latestGap, burstGapNanos);
            Job next = next(Math.min(deadline, Math.max(latest, free) + 2 * gap) - System.nanoTime());
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        int size = batch.size();
        burstGapNanos = size > 1 ? (batch.get(size - 1).queuedAt() - first.queuedAt()) / (size - 1) : 0;
    }

    /** Takes jobs into {@code batch} until it holds {@code batchSize} or none comes by {@code deadline}. */
    private void fill(List<Job> batch, int batchSize, long deadline) throws InterruptedException {
        while (batch.size() < batchSize) {
            Job job = next(deadline - System.nanoTime());
            if (job == null) {
                return;
            }
            batch.add(job);
        }
    }

    private Job next(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long left = deadline - System.nanoTime();
            Job job = left > 0 ? jobs.poll(left, TimeUnit.NANOSECONDS) : jobs.poll();
            if (job == null || !job.abandoned()) {
                return job;
            }
        }
    }
}
