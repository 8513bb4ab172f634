package dev.serval.kernel.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.serving.BatchPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TorchServe's {@code model_snapshot} key of {@code config.properties}, as KServe's TorchServe
 * runtime configures its models: TorchServe's snapshot JSON,
 * {@code {"name": "startup.cfg", "modelCount": 1, "models": {"mnist": {"1.0": {"defaultVersion": true,
 * "marName": "mnist.mar", "minWorkers": 1, "maxWorkers": 5, "batchSize": 1, "maxBatchDelay": 5000,
 * "responseTimeout": 120}}}}}. As in TorchServe, it names the models registered at start, each
 * under its name from its {@code marName} in the model store with those settings, in place of
 * {@code load_models}; Serval's {@code batchPolicy} may be among them. The version key is the
 * archive's version; TorchServe takes the archive's.
 *
 * @param models the models, in the JSON's order
 */
public record ModelSnapshot(List<Model> models) {

    /** TorchServe's snapshot keys that are serving settings, each a whole number. */
    private static final List<String> SETTINGS =
            List.of("minWorkers", "maxWorkers", "batchSize", "maxBatchDelay", "responseTimeout", "startupTimeout");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param models the models, in the JSON's order: copied */
    public ModelSnapshot {
        models = List.copyOf(models);
    }

    /**
     * One model version of the snapshot.
     *
     * @param name the name it is served under
     * @param version the snapshot's version key
     * @param marName the archive or folder in the model store
     * @param defaultVersion whether it is its model's default version
     * @param settings its serving settings, by TorchServe's names ({@code minWorkers}, {@code batchSize}, ...)
     */
    public record Model(
            String name, String version, String marName, boolean defaultVersion, Map<String, Object> settings) {

        /**
         * @param name the name it is served under
         * @param version the snapshot's version key
         * @param marName the archive or folder in the model store
         * @param defaultVersion whether it is its model's default version
         * @param settings its serving settings: copied
         */
        public Model {
            settings = Map.copyOf(settings);
        }
    }

    /**
     * @param value the key's JSON
     * @return the snapshot's models
     * @throws IllegalArgumentException saying what is not TorchServe's snapshot JSON
     */
    static ModelSnapshot parse(String value) {
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
        if (json == null || !json.isObject() || !json.path("models").isObject()) {
            throw new IllegalArgumentException(
                    "is not TorchServe's snapshot JSON: it needs \"models\": {name: {version:"
                            + " {\"marName\": ...}}}");
        }
        List<Model> models = new ArrayList<>();
        for (Map.Entry<String, JsonNode> model : json.get("models").properties()) {
            if (!model.getValue().isObject()) {
                throw new IllegalArgumentException("model " + model.getKey() + " must be an object of its versions");
            }
            for (Map.Entry<String, JsonNode> version : model.getValue().properties()) {
                models.add(model(model.getKey(), version.getKey(), version.getValue()));
            }
        }
        return new ModelSnapshot(models);
    }

    private static Model model(String name, String version, JsonNode entry) {
        String where = "model " + name + " version " + version;
        if (!entry.path("marName").isTextual() || entry.get("marName").asText().isBlank()) {
            throw new IllegalArgumentException(where + " has no \"marName\", the archive in the model store");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : SETTINGS) {
            JsonNode setting = entry.get(key);
            if (setting == null || setting.isNull()) {
                continue;
            }
            if (!setting.canConvertToInt() || !setting.isIntegralNumber()) {
                throw new IllegalArgumentException(where + ": " + key + " must be a whole number, not " + setting);
            }
            settings.put(key, setting.asInt());
        }
        JsonNode policy = entry.get("batchPolicy");
        if (policy != null && !policy.isNull()) {
            try {
                settings.put(
                        "batchPolicy",
                        BatchPolicy.of(policy.isTextual() ? policy.asText() : policy)
                                .key());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        JsonNode defaultVersion = entry.path("defaultVersion");
        if (!defaultVersion.isMissingNode() && !defaultVersion.isBoolean()) {
            throw new IllegalArgumentException(where + ": defaultVersion must be true or false, not " + defaultVersion);
        }
        return new Model(name, version, entry.get("marName").asText(), defaultVersion.asBoolean(false), settings);
    }
}
