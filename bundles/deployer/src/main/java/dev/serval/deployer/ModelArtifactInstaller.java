package dev.serval.deployer;

import dev.serval.kernel.api.ModelDeployer;
import java.io.File;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
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

    /** The jar watcher's folder, set by the kernel: the deploy folder. */
    static final String DEPLOY_FOLDER = "felix.fileinstall.dir";

    private final ModelDeployer deployer;
    private final File deployFolder;

    /**
     * @param deployer the kernel's deployer
     * @param context this bundle's context, for the deploy folder
     */
    @Activate
    public ModelArtifactInstaller(@Reference ModelDeployer deployer, BundleContext context) {
        this.deployer = deployer;
        this.deployFolder = new File(context.getProperty(DEPLOY_FOLDER)).getAbsoluteFile();
    }

    /**
     * Every FileInstall watcher asks every installer, the jar watcher too: a jar in the deploy
     * folder is a bundle, whatever it holds, and stays the jar watcher's. The model watcher hands
     * a folder over as a jar of it, which it makes in a folder of its own.
     */
    @Override
    public boolean canHandle(File artifact) {
        boolean bundleJar = artifact.getName().endsWith(".jar")
                && deployFolder.equals(artifact.getAbsoluteFile().getParentFile());
        return !bundleJar && deployer.canDeploy(artifact.toPath());
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
