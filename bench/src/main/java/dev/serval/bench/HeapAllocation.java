package dev.serval.bench;

import java.lang.management.ManagementFactory;

/**
 * The heap this JVM's threads have allocated, ended threads included, as the server's
 * {@code serval_jvm_allocated_bytes_total} counts it for the server: the same measure on both
 * sides of the raw ÷ server comparison.
 */
final class HeapAllocation {

    private HeapAllocation() {}

    /** @return the bytes allocated so far; -1 when this JVM cannot measure allocation per thread */
    static long soFar() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }
}
