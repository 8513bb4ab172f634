package dev.serval.serving;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a worker holding fewer than {@code batchSize} jobs decides whether to wait for more: the
 * {@code batchPolicy} setting. {@link JobQueue#nextBatch} says what each does and why.
 */
public enum BatchPolicy {

    /**
     * Serval's default: the batch is what is queued when the worker is free, and it waits, up to
     * {@code maxBatchDelay} from then, only while jobs keep arriving at the gaps seen between
     * recent arrivals; one client alone never waits.
     */
    ADAPTIVE,

    /**
     * TorchServe's: once it holds a first job, the worker waits up to {@code maxBatchDelay} for
     * the batch to fill, whether or not other requests are coming.
     */
    FIXED;

    /** @return its name in configuration and in describe's answer: {@code adaptive} or {@code fixed} */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param value a setting's value, as configuration gives it
     * @return the policy it names, in any case
     * @throws IllegalArgumentException when it names none
     */
    public static BatchPolicy of(Object value) {
        if (value instanceof String name) {
            for (BatchPolicy policy : values()) {
                if (policy.key().equalsIgnoreCase(name.trim())) {
                    return policy;
                }
            }
        }
        throw new IllegalArgumentException("batchPolicy must be one of "
                + Arrays.stream(values()).map(BatchPolicy::key).toList() + ", not " + value);
    }
}
