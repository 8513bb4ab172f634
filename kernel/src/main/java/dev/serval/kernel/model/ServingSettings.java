package dev.serval.kernel.model;

import java.util.Map;

/**
 * How a model version is served. The server's defaults come from {@code config.properties}; each
 * archive may override them at the top level of its {@code model-config.yaml}, with TorchServe's
 * keys.
 *
 * @param workers {@code minWorkers}: workers started for the version, each with its own handler
 *     instance and predictor
 * @param batchSize {@code batchSize}: the most requests one handler call receives
 * @param maxBatchDelayMs {@code maxBatchDelay}: how long a worker holding fewer than
 *     {@code batchSize} requests waits for more before running them
 * @param responseTimeoutMs {@code responseTimeout} (seconds in the file): how long a request may
 *     wait for its answer
 * @param maxImagePixels {@code limit_max_image_pixels}: the largest image handlers decode, 0 for
 *     no limit
 */
public record ServingSettings(int workers, int batchSize, long maxBatchDelayMs, long responseTimeoutMs,
        long maxImagePixels) {

    /** TorchServe's defaults; the pixel limit is Pillow's {@code Image.MAX_IMAGE_PIXELS}. */
    public static final ServingSettings DEFAULTS = new ServingSettings(1, 1, 100, 120_000, 89_478_485L);

    /** @throws IllegalArgumentException when a value is out of range */
    public ServingSettings {
        if (workers < 1 || batchSize < 1 || maxBatchDelayMs < 0 || responseTimeoutMs < 1 || maxImagePixels < 0) {
            throw new IllegalArgumentException("Serving settings out of range: " + this);
        }
    }

    /**
     * @param config the top level of a {@code model-config.yaml}
     * @return these settings with the file's keys applied
     * @throws IllegalArgumentException naming a key whose value is not a number in range
     */
    public ServingSettings overriddenBy(Map<String, Object> config) {
        return new ServingSettings(
                (int) number(config, "minWorkers", workers, 1),
                (int) number(config, "batchSize", batchSize, 1),
                number(config, "maxBatchDelay", maxBatchDelayMs, 0),
                number(config, "responseTimeout", responseTimeoutMs / 1000, 1) * 1000,
                maxImagePixels);
    }

    /** @return these settings with another pixel limit */
    public ServingSettings withMaxImagePixels(long limit) {
        return new ServingSettings(workers, batchSize, maxBatchDelayMs, responseTimeoutMs, limit);
    }

    /** @return these settings with another worker count */
    public ServingSettings withWorkers(int count) {
        return new ServingSettings(count, batchSize, maxBatchDelayMs, responseTimeoutMs, maxImagePixels);
    }

    /** @return these settings with another response timeout */
    public ServingSettings withResponseTimeoutMs(long timeout) {
        return new ServingSettings(workers, batchSize, maxBatchDelayMs, timeout, maxImagePixels);
    }

    private static long number(Map<String, Object> config, String key, long defaultValue, long min) {
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
        throw new IllegalArgumentException("model-config.yaml: " + key + " must be a whole number ≥ " + min
                + ", not " + value);
    }
}
