package dev.serval.serving;

import java.util.Locale;

/**
 * Tells an out-of-memory failure from other failures of a handler call: the JVM's own error, or
 * an engine's native allocator giving up (PyTorch reports "can't allocate memory", CUDA
 * "out of memory"), anywhere in the cause chain. TorchServe answers those with a 507.
 */
final class OutOfMemory {

    private OutOfMemory() {}

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("out of memory") || message.contains("can't allocate memory")) {
                return true;
            }
        }
        return false;
    }
}
