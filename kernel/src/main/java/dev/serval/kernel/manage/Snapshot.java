package dev.serval.kernel.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.model.LoadOptions;
import dev.serval.kernel.model.ModelVersion;
import dev.serval.kernel.model.ServingException;
import dev.serval.kernel.model.ServingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TorchServe's config snapshot: the registered models with their worker and batch settings and
 * default versions, written on every change and read at start, so that a restart — even after a
 * crash — serves what was served before. Models of the deploy folder are not in it: the folder
 * itself brings them back.
 */
public final class Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Optional<Path> file;
    private boolean restoring;

    private Snapshot(Optional<Path> file) {
        this.file = file;
    }

    /**
     * @param file where the snapshot is kept
     * @return a snapshot written to and read from {@code file}
     */
    public static Snapshot at(Path file) {
        return new Snapshot(Optional.of(file));
    }

    /** @return a snapshot that records nothing ({@code --no-config-snapshots}) */
    public static Snapshot disabled() {
        return new Snapshot(Optional.empty());
    }

    /** Writes the manager's registrations, atomically: a crash leaves the previous snapshot. */
    synchronized void save(ModelManager manager) {
        if (file.isEmpty() || restoring) {
            return;
        }
        List<Map<String, Object>> models = new ArrayList<>();
        manager.registrations().forEach((version, registration) -> models.add(entry(manager, version, registration)));
        models.sort((a, b) -> (a.get("modelName") + "/" + a.get("modelVersion"))
                .compareTo(b.get("modelName") + "/" + b.get("modelVersion")));
        try {
            Path target = file.get();
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "snapshot", ".tmp");
            JSON.writeValue(temp.toFile(), Map.of("models", models));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("Cannot write the snapshot {}: {}", file.get(), e.getMessage());
        }
    }

    private static Map<String, Object> entry(ModelManager manager, ModelVersion version, Registration registration) {
        ServingSettings settings = version.settings();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("url", registration.url());
        entry.put("modelName", version.name());
        entry.put("modelVersion", version.version());
        entry.put("handler", version.handlerName());
        entry.put("default", manager.isDefault(version));
        entry.put("minWorkers", settings.minWorkers());
        entry.put("maxWorkers", settings.maxWorkers());
        entry.put("batchSize", settings.batchSize());
        entry.put("maxBatchDelay", settings.maxBatchDelayMs());
        entry.put("responseTimeout", settings.responseTimeoutMs() / 1000);
        return entry;
    }

    /**
     * Registers the snapshot's models again, with their settings and default versions.
     *
     * @return whether there was a snapshot to restore
     */
    synchronized boolean restore(ModelManager manager) {
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return false;
        }
        JsonNode models;
        try {
            models = JSON.readTree(file.get().toFile()).path("models");
        } catch (IOException e) {
            LOG.error("Snapshot {} is unreadable, loading load_models instead: {}", file.get(), e.getMessage());
            return false;
        }
        LOG.info("Restoring {} models from the snapshot {}", models.size(), file.get());
        restoring = true;
        try {
            List<String[]> defaults = new ArrayList<>();
            for (JsonNode model : models) {
                restore(manager, model);
                if (model.path("default").asBoolean()) {
                    defaults.add(new String[] {model.path("modelName").asText(), model.path("modelVersion").asText()});
                }
            }
            defaults.forEach(d -> manager.setDefault(d[0], d[1]));
        } finally {
            restoring = false;
        }
        save(manager);
        return true;
    }

    private static void restore(ModelManager manager, JsonNode model) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : List.of("minWorkers", "maxWorkers", "batchSize", "maxBatchDelay", "responseTimeout")) {
            if (model.hasNonNull(key)) {
                settings.put(key, model.get(key).asInt());
            }
        }
        LoadOptions options = new LoadOptions(Optional.of(model.path("modelName").asText()),
                Optional.ofNullable(model.path("handler").textValue()), settings);
        try {
            manager.register(model.path("url").asText(), options, true);
        } catch (ServingException | IllegalArgumentException e) {
            LOG.error("Snapshot model {} not restored: {}", model.path("modelName").asText(), e.getMessage());
        }
    }
}
