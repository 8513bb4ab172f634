package dev.serval.kernel.manage;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Source;
import dev.serval.kernel.config.ModelSnapshot;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelLoadException;
import dev.serval.serving.ModelLoader;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.ServingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TorchServe's model management without HTTP: register, unregister, scale, set the default
 * version, list and describe. The management API and the shell commands both call it; every
 * change is written to the snapshot.
 */
public final class ModelManager {

    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);

    private final ModelLoader loader;
    private final Catalog catalog;
    private final ModelStore store;
    private final Snapshot snapshot;
    /** The start-up models being loaded now, by url: {@code /ping} names them. */
    private final Set<String> loading = ConcurrentHashMap.newKeySet();

    private volatile boolean startingUp;
    private volatile boolean stopping;

    /**
     * @param loader loads archives
     * @param catalog what is served
     * @param store where register calls' urls are looked up
     * @param snapshot where changes are recorded
     */
    public ModelManager(ModelLoader loader, Catalog catalog, ModelStore store, Snapshot snapshot) {
        this.loader = loader;
        this.catalog = catalog;
        this.store = store;
        this.snapshot = snapshot;
    }

    /**
     * Marks the server as starting up until {@link #loadAtStartup} returns, so that a health
     * probe answered before the loading begins already says {@code Unhealthy}.
     */
    public void expectStartupModels() {
        startingUp = true;
    }

    /**
     * Marks the server as stopping, for good: from now on it is {@code Unhealthy}
     * ({@code /ping}, {@code /v2/health/ready}, gRPC's health), while the requests it took are
     * answered.
     */
    public void stopping() {
        stopping = true;
    }

    /**
     * Loads the models the server starts with: the snapshot's when there is one, else
     * {@code model_snapshot}'s when it is set (as TorchServe, in place of {@code load_models}), else
     * {@code load_models}' ({@code all}, or {@code archive} and {@code name=archive} entries).
     * A model that cannot be loaded is logged and skipped.
     *
     * @param specs the {@code load_models} entries
     * @param modelSnapshot {@code config.properties}' {@code model_snapshot}, when set
     */
    public void loadAtStartup(List<String> specs, Optional<ModelSnapshot> modelSnapshot) {
        startingUp = true;
        try {
            loadAll(specs, modelSnapshot);
        } finally {
            startingUp = false;
        }
    }

    private void loadAll(List<String> specs, Optional<ModelSnapshot> modelSnapshot) {
        if (snapshot.restore(this)) {
            return;
        }
        if (modelSnapshot.isPresent()) {
            LOG.info(
                    "Loading {} models from config.properties' model_snapshot, in place of load_models",
                    modelSnapshot.get().models().size());
            registerAtStartup(
                    modelSnapshot.get().models().stream()
                            .map(model -> new StartupModel(
                                    model.marName(),
                                    new LoadOptions(Optional.of(model.name()), Optional.empty(), model.settings()),
                                    model.defaultVersion()))
                            .toList(),
                    Source.Kind.MODEL_STORE);
            return;
        }
        for (String spec : specs) {
            if (spec.equals("all")) {
                try {
                    store.all()
                            .forEach(path -> registerQuietly(path.getFileName().toString(), LoadOptions.NONE));
                } catch (IOException e) {
                    LOG.error("Cannot load the model store: {}", e.getMessage());
                }
                continue;
            }
            int eq = spec.indexOf('=');
            Optional<String> name = eq < 0 ? Optional.empty() : Optional.of(spec.substring(0, eq));
            registerQuietly(eq < 0 ? spec : spec.substring(eq + 1), LoadOptions.named(name));
        }
    }

    /**
     * A model registered at start from a snapshot.
     *
     * @param url its archive or folder
     * @param options its name, handler and settings
     * @param defaultVersion whether it is made its model's default version
     */
    record StartupModel(String url, LoadOptions options, boolean defaultVersion) {}

    /**
     * Registers the models, then makes the default ones default; a model that cannot be
     * registered (its archive gone from the model store, say) is logged and skipped.
     *
     * @param models the models, in order
     * @param kind {@link Source.Kind#SNAPSHOT} for Serval's snapshot, {@link Source.Kind#MODEL_STORE}
     *     for {@code model_snapshot}
     */
    void registerAtStartup(List<StartupModel> models, Source.Kind kind) {
        List<ModelVersion> defaults = new ArrayList<>();
        for (StartupModel model : models) {
            try {
                ModelVersion version = register(model.url(), model.options(), kind);
                if (model.defaultVersion()) {
                    defaults.add(version);
                }
            } catch (ServingException | IllegalArgumentException e) {
                String name = model.options().name().orElse(model.url());
                if (kind == Source.Kind.SNAPSHOT) {
                    LOG.error("Snapshot model {} not restored: {}", name, e.getMessage());
                } else {
                    LOG.error("Model {} of model_snapshot ({}) not deployed: {}", name, model.url(), e.getMessage());
                }
            }
        }
        defaults.forEach(version -> setDefault(version.name(), version.version()));
    }

    private void registerQuietly(String url, LoadOptions options) {
        try {
            register(url, options, Source.Kind.MODEL_STORE);
        } catch (ServingException e) {
            LOG.error("Model {} not deployed: {}", url, e.getMessage());
        }
    }

    /**
     * @param url an archive or folder in the model store, or a URL {@code allowed_urls} allows
     * @param options name, handler and settings overriding the archive's
     * @param kind {@link Source.Kind#REGISTER_CALL}, or at start {@link Source.Kind#MODEL_STORE} or
     *     {@link Source.Kind#SNAPSHOT}
     * @return the registered version; its workers are starting
     * @throws ServingException 400 for a url not allowed, a malformed setting or an archive that
     *     cannot be loaded, 404 for a model not there, 409 for a version registered already
     */
    public ModelVersion register(String url, LoadOptions options, Source.Kind kind) {
        if (url == null || url.isBlank()) {
            throw badRequest("Parameter url is required.");
        }
        Source source = Source.registered(url, options, kind);
        try {
            ServingSettings.DEFAULTS.overriddenBy(options.settings());
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        Path artifact = store.locate(url);
        ModelVersion version;
        if (source.atStartup()) {
            loading.add(url);
        }
        try {
            version = loader.load(artifact, options);
        } catch (ModelLoadException e) {
            // What is wrong is the archive the caller named, as TorchServe's InvalidModelException says.
            throw new ServingException(400, "InvalidModelException", e.getMessage());
        } finally {
            loading.remove(url);
        }
        try {
            catalog.add(version, source);
        } catch (ServingException e) {
            version.close();
            throw e;
        }
        LOG.info("Model {} version {} registered from {}", version.name(), version.version(), url);
        snapshot.save(this);
        return version;
    }

    /**
     * Waits for a just registered version's workers, as a synchronous register does, through
     * {@link ModelVersion#awaitStartup()} and so within the model's startupTimeout. As in
     * TorchServe, a registration whose workers do not start is undone.
     *
     * @param version a version {@link #register} returned
     * @throws ServingException 500 saying why its workers did not start, 404 when it is
     *     unregistered meanwhile
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitRegistered(ModelVersion version) throws InterruptedException {
        Optional<String> notStarted = version.awaitStartup();
        if (notStarted.isPresent()) {
            unregister(version.name(), Optional.of(version.version()));
            throw failedToStart(version, notStarted.get());
        }
    }

    /**
     * @param version a version whose workers did not start
     * @param why why not
     * @return TorchServe's answer to workers that did not start, with Serval's reason why
     */
    public static ServingException failedToStart(ModelVersion version, String why) {
        return new ServingException(
                500,
                "InternalServerException",
                "Failed to start workers for model " + version.name() + " version: " + version.version() + ": " + why);
    }

    /**
     * Stops routing requests to a version, lets its queued requests finish, and unloads it.
     *
     * @param name a model name
     * @param version a version, or empty for the default one
     * @return the version removed
     * @throws ServingException 404 for an unknown model or version (or one another call removes
     *     first), 400 for the default version while others remain
     */
    public ModelVersion unregister(String name, Optional<String> version) {
        ModelVersion target = catalog.resolve(name, version);
        if (catalog.isDefault(target) && catalog.versions(name).size() > 1) {
            throw new ServingException(
                    400, "InvalidModelVersionException", "Cannot remove default version for model " + name);
        }
        if (!catalog.remove(target)) {
            // Another unregister call took it between the lookup and here.
            throw ServingException.versionNotFound(name, target.version());
        }
        target.close();
        LOG.info("Model {} version {} unregistered", target.name(), target.version());
        snapshot.save(this);
        return target;
    }

    /**
     * @param name a model name
     * @param version a version, or empty for the default one
     * @param min workers to run
     * @param max the most workers allowed
     * @return the scaled version
     * @throws ServingException 400 when {@code max < min}, {@code min < 0} or {@code max} is over
     *     {@link ServingSettings#MAX_WORKERS}, 404 for an unknown model or version, or one
     *     unregistered while it is being scaled
     */
    public ModelVersion scale(String name, Optional<String> version, int min, int max) {
        if (min < 0) {
            throw badRequest("min_worker cannot be negative.");
        }
        if (max < min) {
            throw badRequest("max_worker cannot be less than min_worker.");
        }
        if (max > ServingSettings.MAX_WORKERS) {
            throw badRequest("max_worker cannot be more than " + ServingSettings.MAX_WORKERS + ".");
        }
        ModelVersion target = catalog.resolve(name, version);
        target.scale(min, max);
        snapshot.save(this);
        return target;
    }

    /**
     * @param name a model name
     * @param version the version to answer requests that name none
     * @throws ServingException 404 for an unknown model or version
     */
    public void setDefault(String name, String version) {
        catalog.setDefault(name, version);
        snapshot.save(this);
    }

    /**
     * @param name a model name
     * @param version a version, {@code all}, or empty for the default one
     * @return the versions described
     * @throws ServingException 404 for an unknown model or version
     */
    public List<ModelVersion> describe(String name, Optional<String> version) {
        return version.filter("all"::equals).isPresent()
                ? catalog.versions(name)
                : List.of(catalog.resolve(name, version));
    }

    /**
     * @param limit the most models to return; outside 0–100 it is 100, as TorchServe has it
     * @param pageToken where the page starts, from the previous page
     * @return the default version of each model, by name
     */
    public Page list(int limit, int pageToken) {
        int size = limit < 0 || limit > 100 ? 100 : limit;
        List<ModelVersion> all = catalog.defaults();
        int from = Math.min(Math.max(pageToken, 0), all.size());
        int to = Math.min(from + size, all.size());
        return new Page(all.subList(from, to), to < all.size() ? Optional.of(String.valueOf(to)) : Optional.empty());
    }

    /**
     * @param models the page's models
     * @param nextPageToken where the next page starts, when there is one
     */
    public record Page(List<ModelVersion> models, Optional<String> nextPageToken) {}

    /**
     * @param version a registered version
     * @return whether it was loaded when the server started
     */
    public boolean loadedAtStartup(ModelVersion version) {
        return catalog.entry(version).map(e -> e.source().atStartup()).orElse(false);
    }

    /**
     * @param version a served version
     * @return what went wrong with it: why it FAILED, or why its last replacement was refused
     */
    public Optional<String> failure(ModelVersion version) {
        return catalog.failure(version);
    }

    /**
     * @param version a served version
     * @return its describe record, as the management API and the shell answer it
     */
    public Map<String, Object> description(ModelVersion version) {
        return Descriptions.of(version, loadedAtStartup(version), failure(version), memoryPerWorker());
    }

    /**
     * @return each worker's share of the process's resident memory: workers are threads of one
     *     process, sharing its heap, engines and each version's weights, so the process's resident
     *     bytes are divided by the workers of every model served; summed over all of them, as a
     *     TorchServe dashboard sums its worker processes', they give the process's
     */
    private long memoryPerWorker() {
        int workers = catalog.entries().stream()
                .mapToInt(e -> e.version().workers().size())
                .sum();
        return ProcessMemory.residentBytes() / Math.max(1, workers);
    }

    /**
     * @return TorchServe's {@code /ping} status: whether every model loaded at start-up has its
     *     minimum workers READY, with the ones that do not
     */
    public Health health() {
        if (stopping) {
            return Health.stopping();
        }
        List<Health.Lacking> lacking = catalog.entries().stream()
                .filter(e -> e.source().atStartup() && !e.version().hasMinimumWorkers())
                .map(Catalog.Entry::version)
                .sorted(Comparator.comparing(ModelVersion::name).thenComparing(ModelVersion::version))
                .map(v -> new Health.Lacking(
                        v.name(), v.version(), v.status().name(), v.settings().minWorkers(), v.readyWorkers()))
                .toList();
        return Health.of(List.copyOf(loading), startingUp, lacking);
    }

    /** @return the versions the snapshot records, with their sources */
    List<Catalog.Entry> recorded() {
        return catalog.entries().stream().filter(e -> e.source().inSnapshot()).toList();
    }

    /** @return whether {@code version} answers requests naming no version */
    boolean isDefault(ModelVersion version) {
        return catalog.isDefault(version);
    }

    private static ServingException badRequest(String message) {
        return new ServingException(400, "BadRequestException", message);
    }
}
