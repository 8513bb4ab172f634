package dev.serval.kernel.model;

import java.util.Map;

/**
 * How a model version is served. The server's defaults come from {@code config.properties}; a
 * model's entry in its {@code models} key, then the archive's {@code model-config.yaml} (top
 * level), then the register call override them, all with TorchServe's keys.
 *
 * @param minWorkers {@code minWorkers}: workers running, each with its own handler instance and
 *     predictor
 * @param maxWorkers {@code maxWorkers}: the most workers the model may be scaled to
 * @param batchSize {@code batchSize}: the most requests one handler call receives
 * @param maxBatchDelayMs {@code maxBatchDelay}: how long a worker holding fewer than
 *     {@code batchSize} requests waits for more before running them
 * @param responseTimeoutMs {@code responseTimeout} (seconds in the file): how long a request may
 *     wait for its answer
 * @param jobQueueSize {@code job_queue_size}: requests that may wait for a worker; more get a 503
 * @param maxImagePixels {@code limit_max_image_pixels}: the largest image handlers decode, 0 for
 *     no limit
 */
public record ServingSettings(int minWorkers, int maxWorkers, int batchSize, long maxBatchDelayMs,
        long responseTimeoutMs, int jobQueueSize, long maxImagePixels) {

    /**
     * TorchServe's defaults, with one worker: the server's default worker count fits the cores
     * ({@code ServerConfig}); the pixel limit is Pillow's {@code Image.MAX_IMAGE_PIXELS}.
     */
    public static final ServingSettings DEFAULTS = new ServingSettings(1, 1, 1, 100, 120_000, 100, 89_478_485L);

    /** @throws IllegalArgumentException when a value is out of range */
    public ServingSettings {
        if (minWorkers < 0 || maxWorkers < minWorkers || batchSize < 1 || maxBatchDelayMs < 0
                || responseTimeoutMs < 1 || jobQueueSize < 1 || maxImagePixels < 0) {
            throw new IllegalArgumentException("Serving settings out of range: " + this);
        }
    }

    /**
     * @param config TorchServe's per-model keys ({@code minWorkers}, {@code maxWorkers},
     *     {@code batchSize}, {@code maxBatchDelay}, {@code responseTimeout} in seconds); others are
     *     ignored
     * @return these settings with those keys applied; {@code maxWorkers} follows
     *     {@code minWorkers} up unless it is given too
     * @throws IllegalArgumentException naming a key whose value is not a number in range
     */
    public ServingSettings overriddenBy(Map<String, ?> config) {
        int min = (int) number(config, "minWorkers", minWorkers, 0);
        int max = (int) number(config, "maxWorkers", Math.max(maxWorkers, min), 0);
        if (max < min) {
            throw new IllegalArgumentException("maxWorkers (" + max + ") cannot be less than minWorkers (" + min + ")");
        }
        return new ServingSettings(min, max,
                (int) number(config, "batchSize", batchSize, 1),
                number(config, "maxBatchDelay", maxBatchDelayMs, 0),
                number(config, "responseTimeout", responseTimeoutMs / 1000, 1) * 1000,
                jobQueueSize, maxImagePixels);
    }

    /** @return these settings with {@code min} to {@code max} workers */
    public ServingSettings withWorkers(int min, int max) {
        return new ServingSettings(min, max, batchSize, maxBatchDelayMs, responseTimeoutMs, jobQueueSize, maxImagePixels);
    }

    /** @return these settings with another response timeout */
    public ServingSettings withResponseTimeoutMs(long timeout) {
        return new ServingSettings(minWorkers, maxWorkers, batchSize, maxBatchDelayMs, timeout, jobQueueSize,
                maxImagePixels);
    }

    /** @return these settings with another job queue size */
    public ServingSettings withJobQueueSize(int size) {
        return new ServingSettings(minWorkers, maxWorkers, batchSize, maxBatchDelayMs, responseTimeoutMs, size,
                maxImagePixels);
    }

    /** @return these settings with another pixel limit */
    public ServingSettings withMaxImagePixels(long limit) {
        return new ServingSettings(minWorkers, maxWorkers, batchSize, maxBatchDelayMs, responseTimeoutMs, jobQueueSize,
                limit);
    }

    private static long number(Map<String, ?> config, String key, long defaultValue, long min) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            if (number >= min && number <= Integer.MAX_VALUE) {
                return number;
            }
        }
        throw new IllegalArgumentException(key + " must be a whole number ≥ " + min + ", not " + value);
    }
}
