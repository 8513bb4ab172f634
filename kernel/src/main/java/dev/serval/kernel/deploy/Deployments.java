package dev.serval.kernel.deploy;

import dev.serval.kernel.api.ModelDeployer;
import dev.serval.kernel.model.LoadOptions;
import dev.serval.kernel.model.ModelArchive;
import dev.serval.kernel.model.ModelLoadException;
import dev.serval.kernel.model.ModelLoader;
import dev.serval.kernel.model.ModelRegistry;
import dev.serval.kernel.model.ModelVersion;
import dev.serval.kernel.model.ServingException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which artifact serves which model version: the model store's archives loaded at start and the
 * deploy folder's, which come, change and go while the server runs.
 */
public final class Deployments implements ModelDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);

    private final ModelLoader loader;
    private final ModelRegistry registry;
    private final Map<Path, ModelVersion> deployed = new ConcurrentHashMap<>();

    /**
     * @param loader loads artifacts
     * @param registry where loaded models are served
     */
    public Deployments(ModelLoader loader, ModelRegistry registry) {
        this.loader = loader;
        this.registry = registry;
    }

    /**
     * Loads and serves an artifact.
     *
     * @param artifact archive or folder
     * @param name the name to serve it under, or empty for the manifest's
     * @return whether it is now served; when not, the reason has been logged
     */
    public boolean load(Path artifact, Optional<String> name) {
        Path key = key(artifact);
        ModelVersion version;
        try {
            version = loader.load(key, LoadOptions.named(name));
        } catch (ModelLoadException e) {
            LOG.error("Model {} not deployed: {}", artifact.getFileName(), e.getMessage(), e.getCause());
            return false;
        }
        try {
            registry.register(version);
        } catch (ServingException e) {
            LOG.error("Model {} not deployed: {}", artifact.getFileName(), e.getMessage());
            version.close();
            return false;
        }
        deployed.put(key, version);
        return true;
    }

    @Override
    public boolean canDeploy(Path artifact) {
        return ModelArchive.isModel(artifact);
    }

    @Override
    public void deploy(Path artifact) {
        load(artifact, Optional.empty());
    }

    @Override
    public void redeploy(Path artifact) {
        replace(artifact, artifact);
    }

    /**
     * Serves {@code replacement} in place of {@code current}: loaded first, then swapped in, so
     * requests never see the model missing. When it cannot be loaded, {@code current} keeps
     * serving; when {@code current} is not deployed, it is simply deployed.
     *
     * @param current an artifact deployed before
     * @param replacement its new content, possibly at another path
     */
    public void replace(Path current, Path replacement) {
        ModelVersion serving = deployed.get(key(current));
        if (serving == null) {
            deploy(replacement);
            return;
        }
        ModelVersion loaded;
        try {
            loaded = loader.load(key(replacement), LoadOptions.NONE);
        } catch (ModelLoadException e) {
            LOG.error("Model {} not redeployed, version {} keeps serving: {}", replacement.getFileName(),
                    serving.version(), e.getMessage(), e.getCause());
            return;
        }
        registry.replace(serving, loaded);
        deployed.remove(key(current));
        deployed.put(key(replacement), loaded);
        LOG.info("Model {} redeployed from {}", loaded.name(), replacement.getFileName());
        serving.close();
    }

    @Override
    public void undeploy(Path artifact) {
        ModelVersion version = deployed.remove(key(artifact));
        if (version != null) {
            registry.unregister(version);
            version.close();
            LOG.info("Model {} version {} undeployed", version.name(), version.version());
        }
    }

    /** Unloads everything, on shutdown. */
    public void closeAll() {
        deployed.keySet().forEach(this::undeploy);
    }

    private static Path key(Path artifact) {
        return artifact.toAbsolutePath().normalize();
    }
}
