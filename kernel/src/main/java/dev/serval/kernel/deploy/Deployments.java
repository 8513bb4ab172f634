package dev.serval.kernel.deploy;

import dev.serval.kernel.api.ModelDeployer;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelArchive;
import dev.serval.serving.ModelLoadException;
import dev.serval.serving.ModelLoader;
import dev.serval.kernel.model.ModelRegistry;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which artifact serves which model version: the deploy folder's archives and the model bundles'
 * models, which come, change and go while the server runs.
 *
 * <p>Each artifact owns its model's name: a deploy-folder file replaces only what the same file
 * deployed before. A name that something else serves (the model store, a register call, another
 * file or bundle) is refused with a warning naming both sources, and the model already served
 * keeps its workers; so does the file's own previous version, when an overwritten file names
 * another model.
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
            registry.registerNew(version);
        } catch (ServingException e) {
            LOG.warn("{} not deployed: {}", key, e.getMessage());
            version.close();
            return false;
        }
        deployed.put(key, version);
        return true;
    }

    @Override
    public boolean canDeploy(Path artifact) {
        // FileInstall hands a folder over as a jar of it.
        return artifact.getFileName().toString().endsWith(".jar") ? ModelArchive.isJarOfModelFolder(artifact)
                : ModelArchive.isModel(artifact);
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
     * requests never see the model missing. When it cannot be loaded, or names a model that
     * something else serves, {@code current} keeps serving; when {@code current} is not
     * deployed, {@code replacement} is simply deployed.
     *
     * @param current an artifact deployed before
     * @param replacement its new content, possibly at another path
     * @return whether {@code replacement} now serves; when not, the reason has been logged
     */
    public boolean replace(Path current, Path replacement) {
        ModelVersion serving = deployed.get(key(current));
        if (serving == null) {
            return load(replacement, Optional.empty());
        }
        ModelVersion loaded;
        try {
            loaded = loader.load(key(replacement), LoadOptions.NONE);
        } catch (ModelLoadException e) {
            LOG.error("Model {} not redeployed, version {} keeps serving: {}", replacement.getFileName(),
                    serving.version(), e.getMessage(), e.getCause());
            return false;
        }
        try {
            registry.replace(serving, loaded);
        } catch (ServingException e) {
            LOG.warn("Model {} not redeployed from {}, version {} keeps serving: {}", serving.name(),
                    key(replacement), serving.version(), e.getMessage());
            loaded.close();
            return false;
        }
        deployed.remove(key(current));
        deployed.put(key(replacement), loaded);
        LOG.info("Model {} redeployed from {}", loaded.name(), replacement.getFileName());
        serving.close();
        return true;
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
