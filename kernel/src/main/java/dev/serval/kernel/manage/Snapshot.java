package dev.serval.kernel.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Source;
import dev.serval.kernel.io.AtomicFile;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingSettings;
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
    /** What an unreadable snapshot's name is given when it is moved aside, so that it is not overwritten. */
    static final String UNREADABLE_SUFFIX = ".unreadable";

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

    /**
     * Writes what the catalog serves from the model store, the snapshot and register calls, atomically and durably: a crash, even a power loss,
     * leaves this snapshot or the previous one.
     */
    synchronized void save(ModelManager manager) {
        if (file.isEmpty() || restoring) {
            return;
        }
        List<Map<String, Object>> models = new ArrayList<>();
        manager.recorded().forEach(entry -> models.add(entry(manager, entry)));
        models.sort((a, b) -> (a.get("modelName") + "/" + a.get("modelVersion"))
                .compareTo(b.get("modelName") + "/" + b.get("modelVersion")));
        try {
            AtomicFile.write(file.get(), JSON.writeValueAsBytes(Map.of("models", models)));
        } catch (IOException e) {
            LOG.error("Cannot write the snapshot {}: {}", file.get(), e.getMessage());
        }
    }

    private static Map<String, Object> entry(ModelManager manager, Catalog.Entry served) {
        ModelVersion version = served.version();
        ServingSettings settings = version.settings();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("url", served.source().origin());
        entry.put("modelName", version.name());
        entry.put("modelVersion", version.version());
        entry.put("handler", version.handlerName());
        entry.put("default", manager.isDefault(version));
        entry.put("minWorkers", settings.minWorkers());
        entry.put("maxWorkers", settings.maxWorkers());
        entry.put("batchSize", settings.batchSize());
        entry.put("maxBatchDelay", settings.maxBatchDelayMs());
        entry.put("batchPolicy", settings.batchPolicy().key());
        entry.put("responseTimeout", settings.responseTimeoutMs() / 1000);
        entry.put("startupTimeout", settings.startupTimeoutMs() / 1000);
        return entry;
    }

    /**
     * Registers the snapshot's models again, with their settings and default versions; a model
     * that cannot be registered (its archive gone from the model store, say) is logged and
     * skipped. A snapshot that is not one, whether truncated, empty or other JSON than
     * {@code {"models": [...]}}, is moved aside to {@value #UNREADABLE_SUFFIX} and not restored.
     *
     * @return whether there was a snapshot to restore
     */
    synchronized boolean restore(ModelManager manager) {
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            return false;
        }
        Optional<JsonNode> models = read(file.get());
        if (models.isEmpty()) {
            return false;
        }
        LOG.info("Restoring {} models from the snapshot {}", models.get().size(), file.get());
        restoring = true;
        try {
            List<ModelManager.StartupModel> entries = new ArrayList<>();
            models.get().forEach(model -> entries.add(startupModel(model)));
            manager.registerAtStartup(entries, Source.Kind.SNAPSHOT);
        } finally {
            restoring = false;
        }
        save(manager);
        return true;
    }

    /** @return the snapshot's models, or empty when it is unreadable, then moved aside */
    private static Optional<JsonNode> read(Path snapshot) {
        String problem;
        try {
            JsonNode models = JSON.readTree(snapshot.toFile()).path("models");
            if (models.isArray()) {
                return Optional.of(models);
            }
            problem = "it holds no \"models\" list";
        } catch (IOException e) {
            problem = e.getMessage();
        }
        Path aside = snapshot.resolveSibling(snapshot.getFileName() + UNREADABLE_SUFFIX);
        try {
            Files.move(snapshot, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.error(
                    "Snapshot {} is unreadable, loading load_models instead; kept as {}: {}", snapshot, aside, problem);
        } catch (IOException e) {
            LOG.error(
                    "Snapshot {} is unreadable, loading load_models instead ({}); cannot move it aside: {}",
                    snapshot,
                    problem,
                    e.getMessage());
        }
        return Optional.empty();
    }

    /** @return the snapshot's entry as a model to register */
    private static ModelManager.StartupModel startupModel(JsonNode model) {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : List.of(
                "minWorkers", "maxWorkers", "batchSize", "maxBatchDelay", "responseTimeout", "startupTimeout")) {
            if (model.hasNonNull(key)) {
                settings.put(key, model.get(key).asInt());
            }
        }
        if (model.hasNonNull("batchPolicy")) {
            settings.put("batchPolicy", model.get("batchPolicy").asText());
        }
        LoadOptions options = new LoadOptions(
                Optional.of(model.path("modelName").asText()),
                Optional.ofNullable(model.path("handler").textValue()),
                settings);
        return new ModelManager.StartupModel(
                model.path("url").asText(), options, model.path("default").asBoolean());
    }
}
