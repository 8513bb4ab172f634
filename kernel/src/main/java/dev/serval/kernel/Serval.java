package dev.serval.kernel;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.api.HandlerTrial;
import dev.serval.kernel.api.ModelDeployer;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Rollout;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.Deployments;
import dev.serval.kernel.deploy.ModelBundles;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.grpc.GrpcServers;
import dev.serval.kernel.http.ListenerSockets;
import dev.serval.kernel.http.Listeners;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.manage.Snapshot;
import dev.serval.kernel.metrics.Metrics;
import dev.serval.kernel.osgi.EmbeddedFramework;
import dev.serval.kernel.osgi.HandlerTracker;
import dev.serval.kernel.osgi.HandlerTrials;
import dev.serval.kernel.shell.ExitCommand;
import dev.serval.kernel.shell.ServalCommands;
import dev.serval.serving.Deadlines;
import dev.serval.serving.Engines;
import dev.serval.serving.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: its work folder and ports, engines, the OSGi framework with its handlers, the
 * HTTP and gRPC APIs, and the models, taken or started in that order and stopped in the reverse one.
 */
public final class Serval implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Serval.class);

    /** How long a stop that abandoned requests waits for the models to unload. */
    private static final Duration UNLOAD_AFTER_ABANDON = Duration.ofSeconds(3);

    private final EmbeddedFramework framework;
    private final HandlerTracker handlers;
    private final Catalog catalog;
    private final ModelManager manager;
    private final ServiceTracker<CommandShell, CommandShell> shell;
    private final Deployments deployments;
    private final ServiceRegistration<ModelDeployer> deployer;
    private final ModelBundles modelBundles;
    private final Listeners listeners;
    private final GrpcServers grpc;
    private final Optional<Keys> keys;
    private final WorkFolderLock workFolder;
    private final Duration grace;
    private final Deadlines deadlines;

    private Serval(
            EmbeddedFramework framework,
            HandlerTracker handlers,
            Catalog catalog,
            ModelManager manager,
            ServiceTracker<CommandShell, CommandShell> shell,
            Deployments deployments,
            ServiceRegistration<ModelDeployer> deployer,
            ModelBundles modelBundles,
            Listeners listeners,
            GrpcServers grpc,
            Optional<Keys> keys,
            WorkFolderLock workFolder,
            Duration grace,
            Deadlines deadlines) {
        this.framework = framework;
        this.handlers = handlers;
        this.catalog = catalog;
        this.manager = manager;
        this.shell = shell;
        this.deployments = deployments;
        this.deployer = deployer;
        this.modelBundles = modelBundles;
        this.listeners = listeners;
        this.grpc = grpc;
        this.keys = keys;
        this.workFolder = workFolder;
        this.grace = grace;
        this.deadlines = deadlines;
    }

    /**
     * Takes the work folder and binds the ports before anything else, so that a second server on
     * the same folder or ports ends in one line without touching the first one's key file,
     * snapshot or models, and without loading a model first.
     *
     * @param config the resolved settings
     * @return the started server
     * @throws IOException when the work folder is another server's or a port cannot be bound, saying which
     * @throws Exception when a part of the server cannot start
     */
    public static Serval start(ServerConfig config) throws Exception {
        long start = System.nanoTime();
        WorkFolderLock workFolder = WorkFolderLock.acquire(config.workDir());
        ListenerSockets sockets;
        try {
            sockets = ListenerSockets.bind(config);
        } catch (IOException e) {
            workFolder.close();
            throw e;
        }
        try {
            return start(config, workFolder, sockets, start);
        } catch (Exception | Error e) {
            sockets.close();
            workFolder.close();
            throw e;
        }
    }

    private static Serval start(ServerConfig config, WorkFolderLock workFolder, ListenerSockets sockets, long start)
            throws Exception {
        Files.createDirectories(config.deployDir());
        // Loading the engines' native libraries and starting the framework are each about a
        // second of class loading; neither needs the other (no bundle touches DJL before a model
        // loads), so they run side by side and the models wait for both.
        FutureTask<Void> engines = new FutureTask<>(() -> {
            Engines.initialize(config.cacheDir());
            return null;
        });
        new Thread(engines, "serval-engines").start();

        Catalog catalog = new Catalog();
        Metrics metrics = new Metrics(catalog);
        EmbeddedFramework framework = EmbeddedFramework.start(config);
        HandlerTracker handlers = new HandlerTracker(framework.context(), catalog);
        handlers.open();
        framework.startBundles();
        awaitEngines(engines, framework);

        Deadlines deadlines = new Deadlines();
        ModelLoader loader = new ModelLoader(
                config.workDir().resolve("models"), config.modelDefaults(), config.modelEntries(), deadlines);
        Snapshot snapshot =
                config.snapshots() ? Snapshot.at(config.workDir().resolve("snapshot.json")) : Snapshot.disabled();
        ModelManager manager =
                new ModelManager(loader, catalog, new ModelStore(config.modelStore(), config.allowedUrls()), snapshot);
        // The keys before the listeners, which check them; the listeners before the models, so
        // that probes are answered while the models load (/ping Unhealthy until they serve).
        Optional<Keys> keys = config.tokenAuthorization()
                ? Optional.of(Keys.issue(config.workDir().resolve("key_file.json"), config.tokenExpiration()))
                : Optional.empty();
        ServiceTracker<CommandShell, CommandShell> shell =
                new ServiceTracker<>(framework.context(), CommandShell.class, null);
        shell.open();
        manager.expectStartupModels();
        Listeners listeners = Listeners.start(
                config, sockets, catalog, manager, metrics, keys, () -> Optional.ofNullable(shell.getService()));
        GrpcServers grpc = null;
        Deployments deployments;
        ModelBundles modelBundles;
        ServiceRegistration<ModelDeployer> deployer;
        try {
            grpc = GrpcServers.start(config, catalog, manager, keys);
            manager.loadAtStartup(config.loadModels(), config.modelSnapshot());
            framework
                    .context()
                    .registerService(
                            Object.class, new ServalCommands(manager), new Hashtable<>(ServalCommands.properties()));
            framework
                    .context()
                    .registerService(Object.class, new ExitCommand(), new Hashtable<>(ExitCommand.properties()));
            Rollout rollout = new Rollout(catalog);
            deployments = new Deployments(loader, catalog, rollout);
            modelBundles = new ModelBundles(
                    framework.context(), deployments, catalog, config.workDir().resolve("model-bundles"));
            modelBundles.open();
            // Registered after the model store is loaded, whose models win a name that both have: the
            // deployer bundle activates on it and gives FileInstall a model watcher with its settings.
            // The deployer bundle tries new builds of handler bundles with it, once the models serve.
            framework
                    .context()
                    .registerService(HandlerTrial.class, new HandlerTrials(handlers, catalog, loader, rollout), null);
            deployer = framework
                    .context()
                    .registerService(
                            ModelDeployer.class, deployments, new Hashtable<>(EmbeddedFramework.modelWatcher(config)));
        } catch (Exception | Error e) {
            if (grpc != null) {
                grpc.close();
            }
            listeners.close();
            deadlines.close();
            throw e;
        }
        keys.ifPresentOrElse(
                k -> LOG.info(
                        "Token authorization is on: the inference and management APIs take the keys in {}", k.file()),
                () -> LOG.warn("Token authorization is off: anyone who can reach the APIs can use them"));
        LOG.info(
                "Serval started in {} ms; deploy folder {}",
                (System.nanoTime() - start) / 1_000_000,
                config.deployDir().toAbsolutePath());
        return new Serval(
                framework,
                handlers,
                catalog,
                manager,
                shell,
                deployments,
                deployer,
                modelBundles,
                listeners,
                grpc,
                keys,
                workFolder,
                config.shutdownGrace(),
                deadlines);
    }

    private static void awaitEngines(FutureTask<Void> engines, EmbeddedFramework framework) throws Exception {
        try {
            engines.get();
        } catch (ExecutionException e) {
            framework.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** @return the inference API's port */
    public int inferencePort() {
        return listeners.inference().port();
    }

    /** @return the management API's port */
    public int managementPort() {
        return listeners.management().port();
    }

    /** @return the metrics API's port */
    public int metricsPort() {
        return listeners.metrics().port();
    }

    /** @return the framework's system bundle context, where handler and model bundles are installed */
    public BundleContext context() {
        return framework.context();
    }

    /** @return the model versions being served, as requests find them */
    public Catalog catalog() {
        return catalog;
    }

    /** @return the model management the APIs and shell commands call */
    public ModelManager manager() {
        return manager;
    }

    /** @return the deploy folder's and model bundles' models */
    public Deployments deployments() {
        return deployments;
    }

    /**
     * Stops gracefully: says {@code Unhealthy} at once, stops accepting connections and calls,
     * waits up to {@code graceful_shutdown_timeout} for the requests taken (in flight and queued)
     * to be answered, answers those left 503, then stops the listeners and the framework,
     * unloads every model (removing what was extracted for it) and lets the work folder go.
     */
    @Override
    public void close() throws Exception {
        LOG.info(
                "Serval stopping: answering the requests taken, for {} s at most (graceful_shutdown_timeout)",
                grace.toSeconds());
        manager.stopping();
        boolean answered = drain();
        grpc.close();
        listeners.close();
        deployer.unregister();
        modelBundles.close();
        shell.close();
        framework.close();
        handlers.close();
        unloadModels(answered);
        deadlines.close();
        if (keys.isPresent()) {
            keys.get().discard();
        }
        workFolder.close();
        LOG.info("Serval stopped");
    }

    /** @return whether every request taken was answered within the grace period */
    private boolean drain() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + grace.toNanos();
        CompletableFuture<Void> rest = listeners.drain();
        grpc.drain();
        boolean answered;
        try {
            rest.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            answered = grpc.awaitDrained(deadline);
        } catch (TimeoutException | ExecutionException e) {
            answered = false;
        }
        if (answered) {
            LOG.info("Every request taken was answered, in {} ms", (System.nanoTime() - start) / 1_000_000);
        } else {
            int abandoned = listeners.abandon() + grpc.abandon();
            LOG.warn(
                    "{} requests abandoned: unanswered after graceful_shutdown_timeout={} s; those whose answer"
                            + " had not begun are answered 503",
                    abandoned,
                    grace.toSeconds());
        }
        return answered;
    }

    /**
     * Unloads every model; after requests were abandoned, a handler still busy with one may hold
     * its worker for long: the unloading is given a few seconds, and the exit does not wait for
     * the rest of it (the next start clears what it left in the work folder).
     */
    private void unloadModels(boolean answered) throws InterruptedException {
        if (answered) {
            catalog.closeAll();
            return;
        }
        Thread unloading = new Thread(catalog::closeAll, "serval-unload");
        unloading.setDaemon(true);
        unloading.start();
        unloading.join(UNLOAD_AFTER_ABANDON.toMillis());
        if (unloading.isAlive()) {
            LOG.warn(
                    "Models still unloading after {} s: exiting without waiting for their workers",
                    UNLOAD_AFTER_ABANDON.toSeconds());
        }
    }
}
