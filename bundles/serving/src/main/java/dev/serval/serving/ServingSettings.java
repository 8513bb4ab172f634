package dev.serval.serving;

import java.util.Map;
import java.util.Objects;

/**
 * How a model version is served. The server's defaults come from {@code config.properties}; a
 * model's entry in its {@code models} key, then the archive's {@code model-config.yaml} (top
 * level), then the register call override them, all with TorchServe's keys.
 *
 * @param minWorkers {@code minWorkers}: workers running, each with its own handler instance and
 *     predictor
 * @param maxWorkers {@code maxWorkers}: the most workers the model may be scaled to
 * @param batchSize {@code batchSize}: the most requests one handler call receives
 * @param maxBatchDelayMs {@code maxBatchDelay}: the longest a worker holding fewer than
 *     {@code batchSize} requests waits for more before running them
 * @param batchPolicy {@code batchPolicy} (Serval's; TorchServe has none): whether that wait is
 *     only while requests keep arriving ({@code adaptive}, the default) or always the whole
 *     {@code maxBatchDelay} ({@code fixed}, TorchServe's)
 * @param responseTimeoutMs {@code responseTimeout} (seconds in the file): how long a request may
 *     wait for its answer
 * @param jobQueueSize {@code job_queue_size}: requests that may wait for a worker; more get a 503
 * @param maxImagePixels {@code limit_max_image_pixels}: the largest image handlers decode, 0 for
 *     no limit
 * @param startupTimeoutMs {@code startupTimeout} (seconds in the file, {@code startup_timeout} in a
 *     register call): how long workers have to become READY before a caller waiting for them (a
 *     synchronous register or scale, a replacement's roll-out) gives up on them
 */
public record ServingSettings(
        int minWorkers,
        int maxWorkers,
        int batchSize,
        long maxBatchDelayMs,
        BatchPolicy batchPolicy,
        long responseTimeoutMs,
        int jobQueueSize,
        long maxImagePixels,
        long startupTimeoutMs) {

    /**
     * TorchServe's defaults, with one worker: the server's default worker count fits the cores
     * ({@code ServerConfig}); the pixel limit is Pillow's {@code Image.MAX_IMAGE_PIXELS}. Batches
     * are formed adaptively, which TorchServe cannot do.
     */
    public static final ServingSettings DEFAULTS = new ServingSettings(
            1, 1, 1, 100, BatchPolicy.ADAPTIVE, 120_000, 100, 89_478_485L, ModelVersion.STARTUP_TIMEOUT_MS);

    /*
     * Ceilings a real deployment never needs to exceed. Each value is a claim on the server's
     * memory or threads (a worker is a thread with its own predictor, a batch is that many inputs
     * held at once), so a number given in a register call must not be able to claim them all.
     */
    /** The most workers per model version: one per core of the largest machines, each with a predictor. */
    public static final int MAX_WORKERS = 128;
    /** The largest batch: more inputs than a forward pass of any real model holds in memory at once. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** The longest {@code maxBatchDelay}, in ms: batching waits are milliseconds; a minute is no batch. */
    public static final long MAX_BATCH_DELAY_MS = 60_000;
    /** The longest {@code responseTimeout}, in s: an hour, thirty times TorchServe's default. */
    public static final long MAX_RESPONSE_TIMEOUT_S = 3_600;
    /** The longest {@code startupTimeout}, in s: an hour, as for {@code responseTimeout}. */
    public static final long MAX_STARTUP_TIMEOUT_S = 3_600;

    /**
     * @param minWorkers workers started and kept
     * @param maxWorkers workers a scale may reach
     * @param batchSize the most requests one forward pass takes
     * @param maxBatchDelayMs how long a batch waits to fill, in ms
     * @param batchPolicy when a batch waits to fill
     * @param responseTimeoutMs how long a handler call may take, in ms
     * @param jobQueueSize how many requests may wait for a worker
     * @param maxImagePixels the largest image a handler decodes, 0 for no limit
     * @param startupTimeoutMs how long a worker may take to start, in ms
     * @throws IllegalArgumentException when a value is out of range
     */
    public ServingSettings {
        Objects.requireNonNull(batchPolicy, "batchPolicy");
        if (minWorkers < 0
                || maxWorkers < minWorkers
                || maxWorkers > MAX_WORKERS
                || batchSize < 1
                || batchSize > MAX_BATCH_SIZE
                || maxBatchDelayMs < 0
                || maxBatchDelayMs > MAX_BATCH_DELAY_MS
                || responseTimeoutMs < 1
                || responseTimeoutMs > MAX_RESPONSE_TIMEOUT_S * 1000
                || jobQueueSize < 1
                || maxImagePixels < 0
                || startupTimeoutMs < 0
                || startupTimeoutMs > MAX_STARTUP_TIMEOUT_S * 1000) {
            throw new IllegalArgumentException("Serving settings out of range (workers 0 to " + MAX_WORKERS
                    + ", batchSize 1 to " + MAX_BATCH_SIZE + ", maxBatchDelay 0 to " + MAX_BATCH_DELAY_MS
                    + " ms, responseTimeout 1 to " + MAX_RESPONSE_TIMEOUT_S + " s, startupTimeout 0 to "
                    + MAX_STARTUP_TIMEOUT_S + " s): " + this);
        }
    }

    /**
     * @param config TorchServe's per-model keys ({@code minWorkers}, {@code maxWorkers},
     *     {@code batchSize}, {@code maxBatchDelay}, {@code responseTimeout} and {@code startupTimeout}
     *     in seconds) and Serval's {@code batchPolicy}; others are ignored
     * @return these settings with those keys applied; {@code maxWorkers} follows
     *     {@code minWorkers} up unless it is given too
     * @throws IllegalArgumentException naming a key whose value is not a number in range
     */
    public ServingSettings overriddenBy(Map<String, ?> config) {
        int min = (int) number(config, "minWorkers", minWorkers, 0, MAX_WORKERS);
        int max = (int) number(config, "maxWorkers", Math.max(maxWorkers, min), 0, MAX_WORKERS);
        if (max < min) {
            throw new IllegalArgumentException("maxWorkers (" + max + ") cannot be less than minWorkers (" + min + ")");
        }
        return new ServingSettings(
                min,
                max,
                (int) number(config, "batchSize", batchSize, 1, MAX_BATCH_SIZE),
                number(config, "maxBatchDelay", maxBatchDelayMs, 0, MAX_BATCH_DELAY_MS),
                config.get("batchPolicy") == null ? batchPolicy : BatchPolicy.of(config.get("batchPolicy")),
                number(config, "responseTimeout", responseTimeoutMs / 1000, 1, MAX_RESPONSE_TIMEOUT_S) * 1000,
                jobQueueSize,
                maxImagePixels,
                number(config, "startupTimeout", startupTimeoutMs / 1000, 0, MAX_STARTUP_TIMEOUT_S) * 1000);
    }

    /**
     * @param min the minimum workers
     * @param max the maximum workers
     * @return these settings with {@code min} to {@code max} workers
     */
    public ServingSettings withWorkers(int min, int max) {
        return new ServingSettings(
                min,
                max,
                batchSize,
                maxBatchDelayMs,
                batchPolicy,
                responseTimeoutMs,
                jobQueueSize,
                maxImagePixels,
                startupTimeoutMs);
    }

    /**
     * @param timeout the response timeout, in ms
     * @return these settings with another response timeout
     */
    public ServingSettings withResponseTimeoutMs(long timeout) {
        return new ServingSettings(
                minWorkers,
                maxWorkers,
                batchSize,
                maxBatchDelayMs,
                batchPolicy,
                timeout,
                jobQueueSize,
                maxImagePixels,
                startupTimeoutMs);
    }

    /**
     * @param size the job queue size
     * @return these settings with another job queue size
     */
    public ServingSettings withJobQueueSize(int size) {
        return new ServingSettings(
                minWorkers,
                maxWorkers,
                batchSize,
                maxBatchDelayMs,
                batchPolicy,
                responseTimeoutMs,
                size,
                maxImagePixels,
                startupTimeoutMs);
    }

    /**
     * @param limit the largest image in pixels, 0 for no limit
     * @return these settings with another pixel limit
     */
    public ServingSettings withMaxImagePixels(long limit) {
        return new ServingSettings(
                minWorkers,
                maxWorkers,
                batchSize,
                maxBatchDelayMs,
                batchPolicy,
                responseTimeoutMs,
                jobQueueSize,
                limit,
                startupTimeoutMs);
    }

    private static long number(Map<String, ?> config, String key, long defaultValue, long min, long max) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (number >= min && number <= max) {
                return number;
            }
        }
        throw new IllegalArgumentException(
                key + " must be a whole number from " + min + " to " + max + ", not " + value);
    }
}
