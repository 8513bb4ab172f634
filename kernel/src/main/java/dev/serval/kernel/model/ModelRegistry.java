package dev.serval.kernel.model;

import dev.serval.serving.ServingException;
import dev.serval.serving.ModelVersion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The models being served, by name and version, and which version answers when a request names
 * none (the first one registered, as in TorchServe).
 */
public final class ModelRegistry {

    private final Map<String, Versions> models = new ConcurrentHashMap<>();
    private final List<Consumer<ModelVersion>> onRegister = new ArrayList<>();
    private final List<Consumer<ModelVersion>> onUnregister = new ArrayList<>();

    /** A model's versions; replaced as a whole on every change, so readers need no lock. */
    private record Versions(Map<String, ModelVersion> byVersion, String defaultVersion) {
        ModelVersion defaultOne() {
            return byVersion.get(defaultVersion);
        }
    }

    /** @param listener called with every version registered, before it is visible to requests */
    public void onRegister(Consumer<ModelVersion> listener) {
        onRegister.add(listener);
    }

    /**
     * @param listener called with every version that stops being served (unregistered, or replaced
     *     by another), once requests no longer reach it
     */
    public void onUnregister(Consumer<ModelVersion> listener) {
        onUnregister.add(listener);
    }

    /**
     * @param version a loaded model version
     * @throws ServingException 409 when that name and version are already registered
     */
    public void register(ModelVersion version) {
        onRegister.forEach(listener -> listener.accept(version));
        models.compute(version.name(), (name, current) -> {
            Map<String, ModelVersion> byVersion = new TreeMap<>(current == null ? Map.of() : current.byVersion());
            if (byVersion.containsKey(version.version())) {
                throw new ServingException(409, "ConflictStatusException",
                        "Model version " + version.version() + " is already registered for model " + name);
            }
            byVersion.put(version.version(), version);
            return new Versions(byVersion, current == null ? version.version() : current.defaultVersion());
        });
    }

    /**
     * Registers a model that its source owns whole, as a deploy-folder file does: no other source
     * may serve versions of the same name beside it.
     *
     * @param version a loaded model version
     * @throws ServingException 409 when a model of that name is served already, from anywhere
     */
    public void registerNew(ModelVersion version) {
        put(Optional.empty(), version);
    }

    /**
     * Puts {@code replacement} in the place of {@code current} in one step, so requests never see
     * the model missing. The replacement may bear another name, but only one that nothing else
     * serves: it replaces what its own source served, never another source's model.
     *
     * @param current a version registered by {@link #registerNew} or {@code replace}
     * @param replacement its source's new content, loaded anew
     * @throws ServingException 409 when the replacement's name serves any version but {@code current}
     */
    public void replace(ModelVersion current, ModelVersion replacement) {
        put(Optional.of(current), replacement);
        if (!current.name().equals(replacement.name())) {
            unregister(current);
        }
    }

    private void put(Optional<ModelVersion> current, ModelVersion replacement) {
        // Checked before the listeners start its workers, and again atomically as it is put.
        refuseOthers(replacement.name(), models.get(replacement.name()), current);
        onRegister.forEach(listener -> listener.accept(replacement));
        models.compute(replacement.name(), (name, versions) -> {
            refuseOthers(name, versions, current);
            return new Versions(new TreeMap<>(Map.of(replacement.version(), replacement)), replacement.version());
        });
        // Under another name the current version is still served until replace unregisters it.
        current.filter(gone -> gone.name().equals(replacement.name()))
                .ifPresent(gone -> onUnregister.forEach(listener -> listener.accept(gone)));
    }

    private static void refuseOthers(String name, Versions versions, Optional<ModelVersion> current) {
        if (versions == null) {
            return;
        }
        versions.byVersion().values().stream().filter(v -> current.orElse(null) != v).findFirst().ifPresent(other -> {
            throw new ServingException(409, "ConflictStatusException",
                    "Model " + name + " is already served from " + other.archive().source());
        });
    }

    /**
     * Stops routing requests to a version; the caller then closes it.
     *
     * @param version a registered version
     * @return whether it was registered until now: false when another call unregistered it first
     */
    public boolean unregister(ModelVersion version) {
        boolean[] removed = {false};
        models.computeIfPresent(version.name(), (name, versions) -> {
            Map<String, ModelVersion> byVersion = new TreeMap<>(versions.byVersion());
            if (!byVersion.remove(version.version(), version)) {
                return versions;
            }
            removed[0] = true;
            if (byVersion.isEmpty()) {
                return null;
            }
            String defaultVersion = byVersion.containsKey(versions.defaultVersion())
                    ? versions.defaultVersion() : byVersion.keySet().iterator().next();
            return new Versions(byVersion, defaultVersion);
        });
        if (removed[0]) {
            onUnregister.forEach(listener -> listener.accept(version));
        }
        return removed[0];
    }

    /**
     * Makes {@code version} the one answering requests that name none, in one step.
     *
     * @param name a model name
     * @param version one of its versions
     * @throws ServingException 404 when there is no such model or version
     */
    public void setDefault(String name, String version) {
        resolve(name, Optional.of(version));
        models.computeIfPresent(name, (n, versions) -> versions.byVersion().containsKey(version)
                ? new Versions(versions.byVersion(), version) : versions);
    }

    /**
     * @param version a registered version
     * @return whether requests naming no version go to it
     */
    public boolean isDefault(ModelVersion version) {
        Versions versions = models.get(version.name());
        return versions != null && versions.defaultOne() == version;
    }

    /**
     * @param name a model name
     * @param version a version, or empty for the default one
     * @return the version to send a request to
     * @throws ServingException 404 when there is no such model or version
     */
    public ModelVersion resolve(String name, Optional<String> version) {
        Versions versions = models.get(name);
        if (versions == null) {
            throw ServingException.modelNotFound(name);
        }
        if (version.isEmpty()) {
            return versions.defaultOne();
        }
        ModelVersion found = versions.byVersion().get(version.get());
        if (found == null) {
            throw ServingException.versionNotFound(name, version.get());
        }
        return found;
    }

    /**
     * @param name a model name
     * @return its versions, oldest version string first
     * @throws ServingException 404 when there is no such model
     */
    public List<ModelVersion> versions(String name) {
        Versions versions = models.get(name);
        if (versions == null) {
            throw ServingException.modelNotFound(name);
        }
        return List.copyOf(versions.byVersion().values());
    }

    /** @return the default version of every model, by name */
    public List<ModelVersion> defaults() {
        return new TreeMap<>(models).values().stream().map(Versions::defaultOne).toList();
    }

    /** @return every registered version */
    public Collection<ModelVersion> all() {
        return models.values().stream().flatMap(v -> v.byVersion().values().stream()).toList();
    }

    /**
     * @param name a model name
     * @param version a version string
     * @return whether a version of that name and version string is registered now
     */
    public boolean serves(String name, String version) {
        Versions versions = models.get(name);
        return versions != null && versions.byVersion().containsKey(version);
    }
}
