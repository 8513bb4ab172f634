package dev.serval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Samples a server under load on a thread of its own, at fixed times: its heap after a full
 * garbage collection, its resident memory, threads and open file descriptors.
 */
final class SoakSampler implements AutoCloseable {

    private final ServalServer server;
    private final long startNanos;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile Exception failure;

    private SoakSampler(
            ServalServer server, long startNanos, double firstSeconds, double intervalSeconds, double lastSeconds) {
        this.server = server;
        this.startNanos = startNanos;
        this.thread = new Thread(() -> sampleUntil(firstSeconds, intervalSeconds, lastSeconds), "soak-sampler");
        thread.setDaemon(true);
    }

    /**
     * @param server the server to sample
     * @param startNanos {@link System#nanoTime()} the sample times count from
     * @param firstSeconds when the first sample is taken
     * @param intervalSeconds the time between samples
     * @param lastSeconds no sample is started later
     * @return the sampler, started
     */
    static SoakSampler start(
            ServalServer server, long startNanos, double firstSeconds, double intervalSeconds, double lastSeconds) {
        SoakSampler sampler = new SoakSampler(server, startNanos, firstSeconds, intervalSeconds, lastSeconds);
        sampler.thread.start();
        return sampler;
    }

    private void sampleUntil(double firstSeconds, double intervalSeconds, double lastSeconds) {
        try {
            for (double at = firstSeconds; at <= lastSeconds; at += intervalSeconds) {
                long wait = startNanos + (long) (at * 1e9) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                Sample sample = sample();
                synchronized (samples) {
                    samples.add(sample);
                }
                System.err.printf(Locale.ROOT, "[soak] %s%n", sample);
            }
        } catch (InterruptedException e) {
            // closed before the last sample
        } catch (Exception e) {
            failure = e;
        }
    }

    /**
     * The heap is read after a full collection that this sample asks for. The JVM's own
     * collections leave no comparable figure: what G1 reports after a young collection includes
     * every dead object promoted to the old generation since the last concurrent cycle, which a
     * steady load may not start for minutes, so it climbs like a leak and drops at random. After
     * a full collection only what is reachable is left, all of it in the old generation. That is
     * read from the old generation's "used after the last collection": the heap's current use
     * moves by many megabytes with the clients' allocations between the collection and the
     * scrape, and a young collection in between leaves the requests then in flight in the
     * survivor space, so the young pools are left out. Resident memory, threads and file
     * descriptors are read from {@code /proc} before the scrape, so that its connection is not
     * counted.
     */
    private Sample sample() throws Exception {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        server.collectGarbage();
        long resident = server.residentBytes();
        int threads = server.threads();
        int openFiles = server.openFiles();
        String afterGc = "jvm_memory_pool_collection_used_bytes";
        double heap = server.metrics(afterGc).sum(afterGc, SoakSampler::oldGeneration);
        return new Sample(seconds, heap / 1e6, resident / 1e6, threads, openFiles);
    }

    /** Every HotSpot collector's young pools are its "Eden Space" and "Survivor Space". */
    private static boolean oldGeneration(String poolLabels) {
        return !poolLabels.contains("Eden Space") && !poolLabels.contains("Survivor Space");
    }

    /**
     * @return the samples taken so far
     * @throws IllegalStateException when a sample could not be taken
     */
    List<Sample> samples() {
        if (failure != null) {
            throw new IllegalStateException("Sampling the server failed: " + failure, failure);
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Stops sampling, waiting for a sample in progress. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }

    /**
     * @param seconds when it was taken, from the start of the load
     * @param heapMb the heap in use after a full collection
     * @param residentMb the server process's resident memory
     * @param threads its threads, Java and native
     * @param openFiles its open file descriptors
     */
    record Sample(double seconds, double heapMb, double residentMb, int threads, int openFiles) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%6.0f s  heap %7.1f MB  resident %7.1f MB  threads %4d  fds %4d",
                    seconds,
                    heapMb,
                    residentMb,
                    threads,
                    openFiles);
        }
    }
}
