package dev.serval.deployer;

import dev.serval.kernel.api.ModelDeployer;
import java.io.File;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Lets Felix FileInstall deploy models: its model watcher (see {@link ModelWatcher}) hands the
 * deploy folder's {@code .mar} and {@code .zip} archives and model folders to this installer.
 *
 * <p>It is a bundle of its own because FileInstall's {@link ArtifactInstaller} interface lives
 * inside the FileInstall bundle: only a bundle wired to that package can offer one.
 */
@Component
public class ModelArtifactInstaller implements ArtifactInstaller {

    private final ModelDeployer deployer;

    /** @param deployer the kernel's deployer */
    @Activate
    public ModelArtifactInstaller(@Reference ModelDeployer deployer) {
        this.deployer = deployer;
    }

    @Override
    public boolean canHandle(File artifact) {
        return deployer.canDeploy(artifact.toPath());
    }

    @Override
    public void install(File artifact) {
        deployer.deploy(artifact.toPath());
    }

    @Override
    public void update(File artifact) {
        deployer.redeploy(artifact.toPath());
    }

    @Override
    public void uninstall(File artifact) {
        deployer.undeploy(artifact.toPath());
    }
}
