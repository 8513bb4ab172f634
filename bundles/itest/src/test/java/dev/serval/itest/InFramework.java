package dev.serval.itest;

import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.Deployments;
import dev.serval.kernel.deploy.ModelBundles;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.manage.Snapshot;
import dev.serval.kernel.engine.Engines;
import dev.serval.kernel.model.HandlerTracker;
import dev.serval.kernel.model.ModelLoader;
import dev.serval.kernel.model.ModelRegistry;
import dev.serval.kernel.osgi.EmbeddedFramework;
import dev.serval.kernel.shell.ServalCommands;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The kernel's framework side without HTTP: the embedded Felix with the bundles of
 * {@code target/home/bundles}, the handler tracker, the model registry, model manager, shell
 * commands and model bundles, put together as {@code Serval.start} puts them. The model store is
 * {@code distribution/models}, whose folders are models.
 */
final class InFramework implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("itest.home", "target/home"));
    static final Path MODELS = Path.of(System.getProperty("serval.models", "../../distribution/models"));
    static final Path NATIVE_CACHE = Path.of(System.getProperty("serval.test.cache", "target/native-cache"));

    final EmbeddedFramework framework;
    final ModelRegistry registry = new ModelRegistry();
    final Deployments deployments;
    final ModelManager manager;
    private final HandlerTracker handlers;
    private final ModelBundles modelBundles;

    private InFramework(Path work) throws Exception {
        Engines.initialize(NATIVE_CACHE.toAbsolutePath());
        ServerConfig config = ServerConfig.defaults(HOME.toAbsolutePath()).workDir(work)
                .deployDir(Files.createDirectories(work.resolve("deploy"))).build();
        framework = EmbeddedFramework.start(config);
        handlers = new HandlerTracker(framework.context(), registry);
        handlers.open();
        framework.startBundles();
        ModelLoader loader = new ModelLoader(work.resolve("models"), config.modelDefaults(), Map.of());
        deployments = new Deployments(loader, registry);
        manager = new ModelManager(loader, registry, new ModelStore(MODELS), Snapshot.disabled());
        framework.context().registerService(Object.class, new ServalCommands(manager),
                new Hashtable<>(ServalCommands.properties()));
        modelBundles = new ModelBundles(framework.context(), deployments, work.resolve("model-bundles"));
        modelBundles.open();
    }

    /** @param work a fresh folder for the framework cache and extracted models */
    static InFramework start(Path work) throws Exception {
        return new InFramework(work);
    }

    BundleContext context() {
        return framework.context();
    }

    Bundle bundle(String symbolicName) {
        for (Bundle bundle : context().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle not installed: " + symbolicName);
    }

    /** @return the answer of the model's default version, or the exception it failed with */
    Response predict(String model, byte[] body) throws Exception {
        return registry.resolve(model, Optional.empty()).submit(Request.builder(body).build())
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        modelBundles.close();
        framework.close();
        handlers.close();
        deployments.closeAll();
    }
}
