package dev.serval.kernel.deploy;

import java.nio.file.Path;

/**
 * Deploys the model artifacts that the {@link DeployFolder} sees come, change and go:
 * {@code .mar} and {@code .zip} archives and model folders.
 *
 * <p>Each method returns when the model is serving (or has failed, with a log line saying why);
 * a failure never throws, so one bad artifact cannot stop the watcher.
 */
public interface ModelDeployer {

    /**
     * Serves a new artifact.
     *
     * @param artifact a model file or folder
     */
    void deploy(Path artifact);

    /**
     * Serves the artifact's new content in place of the old: the new model is loaded before the
     * old one is retired.
     *
     * @param artifact a file or folder deployed before
     */
    void redeploy(Path artifact);

    /**
     * Stops serving an artifact that was removed.
     *
     * @param artifact a file or folder deployed before
     */
    void undeploy(Path artifact);
}
