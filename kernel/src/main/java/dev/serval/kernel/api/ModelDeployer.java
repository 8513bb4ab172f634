package dev.serval.kernel.api;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Deploys the model artifacts of the deploy folder: {@code .mar} and {@code .zip} archives and
 * model folders. The kernel registers it as an OSGi service; the deployer bundle calls it from
 * Felix FileInstall's model watcher.
 *
 * <p>Each method returns when the model is serving (or has failed, with a log line saying why);
 * a failure never throws, so one bad artifact cannot stop the watcher.
 */
@ProviderType
public interface ModelDeployer {

    /**
     * @param artifact a file or folder in the deploy folder, or FileInstall's jar of such a folder
     *     (FileInstall hands a folder to its installers as a jar of it)
     * @return whether it is a model this deployer serves
     */
    boolean canDeploy(Path artifact);

    /**
     * Serves a new artifact.
     *
     * @param artifact a file or folder accepted by {@link #canDeploy(Path)}
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
