package dev.serval.kernel.catalog;

import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything the server serves, and nothing else: model versions by name and version, each with
 * the {@link Source} it came from, and which version answers a request that names none (the
 * first one registered, as in TorchServe).
 *
 * <p>Every source goes through it. A version is first <em>prepared</em>: checked against what is
 * served and being prepared (a collision is a 409), and bound to its handler, but not yet seen by
 * requests; then <em>published</em>, possibly in the place of the version it replaces, in one
 * step; or <em>cancelled</em>. A source that {@link Source#ownsName() owns its name} (a
 * deploy-folder file, a model bundle) serves nothing beside another source's version of that name,
 * and replaces only its own version; a register call adds versions beside other register calls'
 * and replaces none.
 *
 * <p>Reads take no lock: each model's versions are replaced as a whole on every change.
 */
public final class Catalog {

    /**
     * One served version and where it came from.
     *
     * @param version the version
     * @param source where it came from
     */
    public record Entry(ModelVersion version, Source source) {}

    /** A model's versions; replaced as a whole on every change, so readers need no lock. */
    private record Versions(Map<String, Entry> byVersion, String defaultVersion) {
        Entry defaultOne() {
            return byVersion.get(defaultVersion);
        }
    }

    /**
     * A version prepared to be served and holding its name and version against others, until it
     * is published or cancelled.
     *
     * @param entry the version and its source
     * @param replacing what it takes the place of when published
     */
    public record Preparation(Entry entry, Optional<ModelVersion> replacing) {}

    private final Map<String, Versions> models = new ConcurrentHashMap<>();
    private final Map<ModelVersion, Preparation> prepared = new ConcurrentHashMap<>();
    /** Why the last replacement of a served version was refused, until it is replaced or removed. */
    private final Map<ModelVersion, String> refusedReplacements = new ConcurrentHashMap<>();

    private final List<Consumer<ModelVersion>> onPrepare = new CopyOnWriteArrayList<>();
    private final List<Consumer<ModelVersion>> onRemove = new CopyOnWriteArrayList<>();

    /** @param listener called with every version prepared, before requests can reach it: it binds the handler */
    public void onPrepare(Consumer<ModelVersion> listener) {
        onPrepare.add(listener);
    }

    /**
     * @param listener called with every version that stops being served or prepared (removed,
     *     replaced, cancelled), once requests no longer reach it
     */
    public void onRemove(Consumer<ModelVersion> listener) {
        onRemove.add(listener);
    }

    /**
     * @param version a loaded version
     * @param source where it came from
     * @param replacing the version of the same source it is to replace, if any
     * @return the preparation, to publish or cancel
     * @throws IllegalArgumentException when {@code replacing} is not served from {@code source}
     * @throws ServingException 409 when the name and version, or for a source owning its name
     *     the name, is served or prepared from elsewhere
     */
    public Preparation prepare(ModelVersion version, Source source, Optional<ModelVersion> replacing) {
        Preparation preparation = new Preparation(new Entry(version, source), replacing);
        replacing.ifPresent(current -> {
            if (!entry(current).map(Entry::source).filter(source::equals).isPresent()) {
                throw new IllegalArgumentException(
                        source + " does not serve " + current.name() + " " + current.version());
            }
        });
        synchronized (this) {
            refuseCollisions(version, source, replacing);
            prepared.put(version, preparation);
        }
        onPrepare.forEach(listener -> listener.accept(version));
        return preparation;
    }

    private void refuseCollisions(ModelVersion version, Source source, Optional<ModelVersion> replacing) {
        Versions served = models.get(version.name());
        Stream<Entry> same = Stream.concat(
                served == null ? Stream.empty() : served.byVersion().values().stream(),
                prepared.values().stream()
                        .map(Preparation::entry)
                        .filter(e -> e.version().name().equals(version.name())));
        same.filter(other -> replacing.orElse(null) != other.version()).forEach(other -> {
            if (source.ownsName() || other.source().ownsName()) {
                throw new ServingException(
                        409,
                        "ConflictStatusException",
                        "Model " + version.name() + " is already served from "
                                + other.version().archive().source());
            }
            if (other.version().version().equals(version.version())) {
                throw new ServingException(
                        409,
                        "ConflictStatusException",
                        "Model version " + version.version() + " is already registered for model " + version.name());
            }
        });
    }

    /**
     * Makes a prepared version seen by requests, in the place of the one it replaces, in one step.
     * The replaced version is then removed; its caller closes it.
     *
     * @param preparation from {@link #prepare}
     */
    public void publish(Preparation preparation) {
        ModelVersion version = preparation.entry().version();
        Optional<ModelVersion> replaced;
        synchronized (this) {
            if (prepared.remove(version) == null) {
                throw new IllegalStateException(version.name() + " " + version.version() + " is not prepared");
            }
            // A replaced version of the same name leaves in the same change as the new one comes,
            // so that no reader finds the name without a version meanwhile.
            replaced = preparation
                    .replacing()
                    .filter(old ->
                            old.name().equals(version.name()) ? entry(old).isPresent() : dropLocked(old));
            Versions current = models.get(version.name());
            Map<String, Entry> byVersion = new TreeMap<>(current == null ? Map.of() : current.byVersion());
            replaced.filter(old -> old.name().equals(version.name())).ifPresent(old -> byVersion.remove(old.version()));
            byVersion.put(version.version(), preparation.entry());
            String defaultVersion = current == null || !byVersion.containsKey(current.defaultVersion())
                    ? version.version()
                    : current.defaultVersion();
            models.put(version.name(), new Versions(byVersion, defaultVersion));
        }
        replaced.ifPresent(this::removed);
    }

    /**
     * Gives up a prepared version: it was never seen by requests; its caller closes it.
     *
     * @param preparation from {@link #prepare}
     */
    public void cancel(Preparation preparation) {
        if (prepared.remove(preparation.entry().version()) != null) {
            removed(preparation.entry().version());
        }
    }

    /**
     * Prepares and publishes at once: the version is seen by requests while its workers start,
     * which wait in its queue.
     *
     * @param version a loaded version
     * @param source where it came from
     * @throws ServingException 409 on a collision, as {@link #prepare} says
     */
    public void add(ModelVersion version, Source source) {
        publish(prepare(version, source, Optional.empty()));
    }

    /**
     * Stops routing requests to a version; the caller then closes it.
     *
     * @param version a served version
     * @return whether it was served until now: false when another call removed it first
     */
    public boolean remove(ModelVersion version) {
        boolean removed;
        synchronized (this) {
            removed = dropLocked(version);
        }
        if (removed) {
            removed(version);
        }
        return removed;
    }

    private boolean dropLocked(ModelVersion version) {
        Versions versions = models.get(version.name());
        if (versions == null) {
            return false;
        }
        Entry entry = versions.byVersion().get(version.version());
        if (entry == null || entry.version() != version) {
            return false;
        }
        Map<String, Entry> byVersion = new TreeMap<>(versions.byVersion());
        byVersion.remove(version.version());
        if (byVersion.isEmpty()) {
            models.remove(version.name());
        } else {
            String defaultVersion = byVersion.containsKey(versions.defaultVersion())
                    ? versions.defaultVersion()
                    : byVersion.keySet().iterator().next();
            models.put(version.name(), new Versions(byVersion, defaultVersion));
        }
        return true;
    }

    private void removed(ModelVersion version) {
        refusedReplacements.remove(version);
        onRemove.forEach(listener -> listener.accept(version));
    }

    /**
     * Records why a replacement of {@code serving} was refused, for describe and the metrics.
     *
     * @param serving the version that keeps serving
     * @param reason why its replacement was not served
     */
    public void refusedReplacement(ModelVersion serving, String reason) {
        if (entry(serving).isPresent()) {
            refusedReplacements.put(serving, reason);
        }
    }

    /**
     * @param version a version
     * @return what went wrong with it: why it FAILED, or why its last replacement was refused
     */
    public Optional<String> failure(ModelVersion version) {
        return version.failure().or(() -> Optional.ofNullable(refusedReplacements.get(version)));
    }

    /**
     * Stops serving everything and closes every version, removing what was extracted for it, on
     * shutdown.
     */
    public void closeAll() {
        prepared.values().forEach(preparation -> {
            // Its rollout, waiting for the workers, hears that it was closed and gives up.
            cancel(preparation);
            preparation.entry().version().close();
        });
        all().forEach(version -> {
            if (remove(version)) {
                version.close();
            }
        });
    }

    /**
     * Makes {@code version} the one answering requests that name none, in one step.
     *
     * @param name a model name
     * @param version one of its versions
     * @throws ServingException 404 when there is no such model or version
     */
    public synchronized void setDefault(String name, String version) {
        resolve(name, Optional.of(version));
        Versions versions = models.get(name);
        models.put(name, new Versions(versions.byVersion(), version));
    }

    /**
     * @param version a served version
     * @return whether requests naming no version go to it
     */
    public boolean isDefault(ModelVersion version) {
        Versions versions = models.get(version.name());
        return versions != null && versions.defaultOne().version() == version;
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
            return versions.defaultOne().version();
        }
        Entry found = versions.byVersion().get(version.get());
        if (found == null) {
            throw ServingException.versionNotFound(name, version.get());
        }
        return found.version();
    }

    /**
     * Hands a job to the version that answers it now. A version replaced between being resolved
     * and taking the job has been closed by its rollout, and refuses it: the job goes to the
     * version in its place, so that a swap fails no request.
     *
     * @param name a model name
     * @param version a version, or empty for the default one
     * @param job submits the job to a version
     * @param <T> the answer
     * @return the answer
     * @throws ServingException 404 when there is no such model or version
     */
    public <T> CompletableFuture<T> submit(
            String name, Optional<String> version, Function<ModelVersion, CompletableFuture<T>> job) {
        ModelVersion target = resolve(name, version);
        CompletableFuture<T> answer = job.apply(target);
        if (answer.isCompletedExceptionally() && target.status() == ModelVersion.Status.STOPPED) {
            ModelVersion now = resolve(name, version);
            if (now != target) {
                return job.apply(now);
            }
        }
        return answer;
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
        return versions.byVersion().values().stream().map(Entry::version).toList();
    }

    /** @return the default version of every model, by name */
    public List<ModelVersion> defaults() {
        return new TreeMap<>(models)
                .values().stream().map(v -> v.defaultOne().version()).toList();
    }

    /** @return every served version */
    public Collection<ModelVersion> all() {
        return entries().stream().map(Entry::version).toList();
    }

    /** @return every served version with its source */
    public List<Entry> entries() {
        return models.values().stream()
                .flatMap(v -> v.byVersion().values().stream())
                .toList();
    }

    /** @return every version served or prepared: those a handler is bound to */
    public List<ModelVersion> bound() {
        List<ModelVersion> bound = new ArrayList<>(all());
        bound.addAll(prepared.keySet());
        return bound;
    }

    /**
     * @param version a version
     * @return its entry, while it is served
     */
    public Optional<Entry> entry(ModelVersion version) {
        Versions versions = models.get(version.name());
        return Optional.ofNullable(
                        versions == null ? null : versions.byVersion().get(version.version()))
                .filter(e -> e.version() == version);
    }

    /**
     * @param source a source
     * @return what it serves now
     */
    public Optional<Entry> servedFrom(Source source) {
        return entries().stream().filter(e -> e.source().equals(source)).findFirst();
    }

    /**
     * @param name a model name
     * @param version a version string
     * @return whether a version of that name and version string is served now
     */
    public boolean serves(String name, String version) {
        Versions versions = models.get(name);
        return versions != null && versions.byVersion().containsKey(version);
    }
}
