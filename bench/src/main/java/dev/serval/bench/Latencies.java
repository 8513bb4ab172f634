package dev.serval.bench;

import java.util.Arrays;

/**
 * Request latencies recorded by one thread, merged after a run, and summarized as percentiles.
 * Recording appends to a growing array: no boxing and no locking on the measured path.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int count;

    /** @param latencyNanos one request's latency */
    void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
    }

    /** @return how many were recorded */
    int count() {
        return count;
    }

    /** @param other latencies to add to these */
    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            record(other.nanos[i]);
        }
    }

    /**
     * The nearest-rank percentile: the smallest recorded value with at least {@code p} percent of
     * the values at or below it.
     *
     * @param p a percentile, 0 &lt; p ≤ 100
     * @return that percentile in milliseconds; NaN when nothing was recorded
     */
    double percentileMs(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile out of range: " + p);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * count);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }

    /** @return the summary of these latencies */
    Summary summary() {
        return new Summary(count, percentileMs(50), percentileMs(90), percentileMs(99));
    }

    /**
     * @param count requests measured
     * @param p50Ms median latency
     * @param p90Ms 90th percentile
     * @param p99Ms 99th percentile
     */
    record Summary(int count, double p50Ms, double p90Ms, double p99Ms) {}
}
