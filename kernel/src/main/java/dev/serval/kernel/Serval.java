package dev.serval.kernel;

import dev.serval.kernel.api.ModelDeployer;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.Deployments;
import dev.serval.kernel.deploy.ModelBundles;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.engine.Engines;
import dev.serval.kernel.http.ApiServer;
import dev.serval.kernel.http.HttpOptions;
import dev.serval.kernel.http.InferenceApi;
import dev.serval.kernel.http.KServeApi;
import dev.serval.kernel.http.ManagementApi;
import dev.serval.kernel.http.MetricsApi;
import dev.serval.kernel.http.TokenApi;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.manage.Snapshot;
import dev.serval.kernel.metrics.Metrics;
import dev.serval.kernel.model.HandlerTracker;
import dev.serval.kernel.model.ModelLoader;
import dev.serval.kernel.model.ModelRegistry;
import dev.serval.kernel.osgi.EmbeddedFramework;
import dev.serval.kernel.shell.ServalCommands;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: engines, the OSGi framework with its handlers, the models, and the HTTP
 * APIs, started in that order and stopped in the reverse one.
 */
public final class Serval implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Serval.class);

    private final EmbeddedFramework framework;
    private final HandlerTracker handlers;
    private final Deployments deployments;
    private final ModelBundles modelBundles;
    private final ApiServer inference;
    private final ApiServer management;
    private final ApiServer metrics;
    private final Optional<Keys> keys;

    private Serval(EmbeddedFramework framework, HandlerTracker handlers, Deployments deployments,
            ModelBundles modelBundles, ApiServer inference, ApiServer management, ApiServer metrics,
            Optional<Keys> keys) {
        this.framework = framework;
        this.handlers = handlers;
        this.deployments = deployments;
        this.modelBundles = modelBundles;
        this.inference = inference;
        this.management = management;
        this.metrics = metrics;
        this.keys = keys;
    }

    /**
     * @param config the resolved settings
     * @return the started server
     * @throws Exception when a part of the server cannot start
     */
    public static Serval start(ServerConfig config) throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(config.workDir());
        Files.createDirectories(config.deployDir());
        Engines.initialize(config.cacheDir());

        ModelRegistry registry = new ModelRegistry();
        Metrics metrics = new Metrics(registry);
        EmbeddedFramework framework = EmbeddedFramework.start(config);
        HandlerTracker handlers = new HandlerTracker(framework.context(), registry);
        handlers.open();
        framework.startBundles();

        ModelLoader loader = new ModelLoader(config.workDir().resolve("models"), config.modelDefaults(),
                config.modelEntries());
        Snapshot snapshot = config.snapshots() ? Snapshot.at(config.workDir().resolve("snapshot.json"))
                : Snapshot.disabled();
        ModelManager manager = new ModelManager(loader, registry, new ModelStore(config.modelStore()), snapshot);
        manager.loadAtStartup(config.loadModels());
        framework.context().registerService(Object.class, new ServalCommands(manager),
                new Hashtable<>(ServalCommands.properties()));
        Deployments deployments = new Deployments(loader, registry);
        ModelBundles modelBundles = new ModelBundles(framework.context(), deployments,
                config.workDir().resolve("model-bundles"));
        modelBundles.open();
        // Registered after the model store is loaded: the deployer bundle activates on it and
        // FileInstall then hands over the deploy folder's models.
        framework.context().registerService(ModelDeployer.class, deployments, null);

        Optional<Keys> keys = config.tokenAuthorization()
                ? Optional.of(Keys.issue(config.workDir().resolve("key_file.json"), config.tokenExpiration()))
                : Optional.empty();
        HttpOptions counted = HttpOptions.open(config.maxRequestSize(), metrics.requests()::answered);
        ApiServer inference = ApiServer.start("Inference", config.inferenceAddress(),
                keys.map(k -> counted.requiring(k, Keys.Kind.INFERENCE, openInferencePaths())).orElse(counted),
                new InferenceApi(registry).andThen(new KServeApi(registry)));
        Consumer<Javalin> managementRoutes = new ManagementApi(manager, config.modelApiEnabled());
        ApiServer management = ApiServer.start("Management", config.managementAddress(),
                keys.map(k -> counted.requiring(k, Keys.Kind.MANAGEMENT, TokenApi.OPEN_PATHS)).orElse(counted),
                keys.map(k -> managementRoutes.andThen(new TokenApi(k))).orElse(managementRoutes));
        // Scrapes are not API requests: TorchServe's Requests2XX counts inference and management only.
        ApiServer metricsServer = ApiServer.start("Metrics", config.metricsAddress(),
                HttpOptions.open(config.maxRequestSize(), status -> { }), new MetricsApi(metrics));
        keys.ifPresentOrElse(
                k -> LOG.info("Token authorization is on: the inference and management APIs take the keys in {}",
                        k.file()),
                () -> LOG.warn("Token authorization is off: anyone who can reach the APIs can use them"));
        LOG.info("Serval started in {} ms; deploy folder {}", (System.nanoTime() - start) / 1_000_000,
                config.deployDir().toAbsolutePath());
        return new Serval(framework, handlers, deployments, modelBundles, inference, management, metricsServer, keys);
    }

    private static Set<String> openInferencePaths() {
        Set<String> open = new HashSet<>(InferenceApi.OPEN_PATHS);
        open.addAll(KServeApi.OPEN_PATHS);
        return open;
    }

    /** @return the inference API's port */
    public int inferencePort() {
        return inference.port();
    }

    /** @return the management API's port */
    public int managementPort() {
        return management.port();
    }

    /** @return the metrics API's port */
    public int metricsPort() {
        return metrics.port();
    }

    /** Stops accepting requests, unloads the models, stops the framework. */
    @Override
    public void close() throws Exception {
        LOG.info("Serval stopping");
        inference.close();
        management.close();
        metrics.close();
        modelBundles.close();
        framework.close();
        handlers.close();
        deployments.closeAll();
        if (keys.isPresent()) {
            keys.get().discard();
        }
        LOG.info("Serval stopped");
    }
}
