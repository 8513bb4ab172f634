package dev.serval.kernel.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The bytes the JVM's threads have allocated on the heap since it started, exact at every scrape:
 * what a benchmark divides by the requests answered between two scrapes to get the allocation per
 * request. The JVM instrumentation's {@code jvm_memory_pool_allocated_bytes_total} cannot give it:
 * that one moves only when a collection ends, by the pools' growth since the last one.
 */
final class AllocationMetrics {

    /** The counter's name as exposed; the client adds {@code _total} to {@code serval_jvm_allocated_bytes}. */
    static final String NAME = "serval_jvm_allocated_bytes_total";

    private AllocationMetrics() {}

    /**
     * Registers the counter when the JVM can measure allocation per thread (HotSpot can, and does by
     * default); without it there is no series rather than a wrong one.
     *
     * @param registry where it is registered
     */
    static void register(PrometheusRegistry registry) {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            threads.setThreadAllocatedMemoryEnabled(true);
            register(registry, threads::getTotalThreadAllocatedBytes);
        }
    }

    /**
     * @param registry where it is registered
     * @param allocatedBytes the bytes allocated so far, read at each scrape; negative when not measured
     */
    static void register(PrometheusRegistry registry, LongSupplier allocatedBytes) {
        CounterWithCallback.builder()
                .name(NAME)
                .help("Bytes allocated on the heap by all the JVM's threads, ended ones included, since it started")
                .callback(callback -> {
                    long bytes = allocatedBytes.getAsLong();
                    if (bytes >= 0) {
                        callback.call(bytes);
                    }
                })
                .register(registry);
    }
}
