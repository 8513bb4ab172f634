package dev.serval.kernel.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * TorchServe's {@code models} key of {@code config.properties}: JSON giving per model name and
 * version its serving settings, e.g.
 * {@code {"digits": {"1.0": {"minWorkers": 2, "batchSize": 8, "maxBatchDelay": 50}}}}.
 */
final class ModelEntries {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelEntries() {}

    /**
     * @param value the key's JSON
     * @return settings by model name, then version
     * @throws IllegalArgumentException when the value is not JSON of that shape
     */
    static Map<String, Map<String, Map<String, Object>>> parse(String value) {
        try {
            return Map.copyOf(JSON.readValue(
                    value, new TypeReference<Map<String, Map<String, Map<String, Object>>>>() {}));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "config.properties: models is not TorchServe's models JSON: " + e.getOriginalMessage(), e);
        }
    }
}
