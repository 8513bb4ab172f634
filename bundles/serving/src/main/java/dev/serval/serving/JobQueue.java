package dev.serval.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The jobs of one model version, bounded as TorchServe's {@code job_queue_size} bounds them, and
 * taken by its workers a batch at a time as TorchServe forms batches: a worker holding fewer than {@code batchSize} jobs waits up to {@code maxBatchDelay}
 * for more, then runs what it has.
 */
final class JobQueue {

    private final BlockingQueue<Job> jobs;

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
     * @param maxDelayMs how long to wait for the batch to fill once it has a first job
     * @param pollMs how long to wait for a first job
     * @throws InterruptedException when the worker is interrupted while waiting
     */
    void nextBatch(List<Job> batch, int batchSize, long maxDelayMs, long pollMs) throws InterruptedException {
        Job first = next(TimeUnit.MILLISECONDS.toNanos(pollMs));
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
        for (int taken = 1; taken < batchSize; taken++) {
            Job job = next(deadline - System.nanoTime());
            if (job == null) {
                break;
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
