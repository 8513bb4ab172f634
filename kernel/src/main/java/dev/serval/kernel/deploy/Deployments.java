package dev.serval.kernel.deploy;

import dev.serval.kernel.api.ModelDeployer;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Rollout;
import dev.serval.kernel.catalog.Source;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelArchive;
import dev.serval.serving.ModelLoadException;
import dev.serval.serving.ModelLoader;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the artifacts that come, change and go while the server runs — the deploy folder's
 * archives and the model bundles' models — through the catalog, each as a source that owns its
 * model's name: a name that something else serves is refused (409 in the log, naming both
 * sources), and new content replaces the source's own version only once it is ready to serve
 * ({@link Rollout}).
 */
public final class Deployments implements ModelDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);

    private final ModelLoader loader;
    private final Catalog catalog;
    private final Rollout rollout;

    /**
     * @param loader loads artifacts
     * @param catalog what is served
     * @param rollout how new content replaces what a source served
     */
    public Deployments(ModelLoader loader, Catalog catalog, Rollout rollout) {
        this.loader = loader;
        this.catalog = catalog;
        this.rollout = rollout;
    }

    @Override
    public boolean canDeploy(Path artifact) {
        // FileInstall hands a folder over as a jar of it.
        return artifact.getFileName().toString().endsWith(".jar")
                ? ModelArchive.isJarOfModelFolder(artifact)
                : ModelArchive.isModel(artifact);
    }

    @Override
    public void deploy(Path artifact) {
        serve(artifact, Source.deployFolder(artifact));
    }

    @Override
    public void redeploy(Path artifact) {
        serve(artifact, Source.deployFolder(artifact));
    }

    @Override
    public void undeploy(Path artifact) {
        undeploy(Source.deployFolder(artifact));
    }

    /**
     * Serves an artifact's content for its source: added when the source serves nothing, else in
     * the place of what it serves once the new content is ready, the old content serving on when
     * it is not.
     *
     * @param artifact archive or folder
     * @param source the deploy-folder file or model bundle it comes from
     * @return whether it is now served; when not, the reason has been logged
     */
    public boolean serve(Path artifact, Source source) {
        Optional<ModelVersion> current = catalog.servedFrom(source).map(Catalog.Entry::version);
        ModelVersion loaded;
        try {
            loaded = loader.load(artifact.toAbsolutePath().normalize(), LoadOptions.NONE);
        } catch (ModelLoadException e) {
            String keeps =
                    current.map(v -> ", version " + v.version() + " serves on").orElse("");
            LOG.error("Model {} not deployed{}: {}", artifact.getFileName(), keeps, e.getMessage(), e.getCause());
            current.ifPresent(v -> catalog.refusedReplacement(
                    v,
                    "Replacement from " + source + " could not be loaded, version " + v.version() + " serves on: "
                            + e.getMessage()));
            return false;
        }
        if (current.isPresent()) {
            try {
                return rollout.replace(current.get(), loaded, source);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ServingException e) {
                // The server is stopping and closed the replacement under the rollout.
                LOG.warn("{} not deployed: {}", source, e.getMessage());
                return false;
            }
        }
        try {
            catalog.add(loaded, source);
        } catch (ServingException e) {
            LOG.warn("{} not deployed: {}", source, e.getMessage());
            loaded.close();
            return false;
        }
        return true;
    }

    /**
     * Stops serving what a source served, if anything.
     *
     * @param source a deploy-folder file or model bundle
     * @return the version removed, closed
     */
    public Optional<ModelVersion> undeploy(Source source) {
        Optional<ModelVersion> served =
                catalog.servedFrom(source).map(Catalog.Entry::version).filter(catalog::remove);
        served.ifPresent(version -> {
            version.close();
            LOG.info("Model {} version {} undeployed", version.name(), version.version());
        });
        return served;
    }
}
