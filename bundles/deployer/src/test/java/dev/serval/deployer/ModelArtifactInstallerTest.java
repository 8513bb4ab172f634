package dev.serval.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.api.ModelDeployer;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class ModelArtifactInstallerTest {

    @TempDir
    Path root;

    /** The artifacts the kernel was asked about. */
    private final List<Path> asked = new ArrayList<>();

    private final ModelDeployer deployer = new ModelDeployer() {
        @Override
        public boolean canDeploy(Path artifact) {
            asked.add(artifact);
            return true;
        }

        @Override
        public void deploy(Path artifact) {}

        @Override
        public void redeploy(Path artifact) {}

        @Override
        public void undeploy(Path artifact) {}
    };

    private ModelArtifactInstaller installer() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (proxy, method, args) ->
                        method.getName().equals("getProperty") && ModelArtifactInstaller.DEPLOY_FOLDER.equals(args[0])
                                ? root.resolve("deploy").toString()
                                : null);
        return new ModelArtifactInstaller(deployer, context);
    }

    @Test
    void aJarInTheDeployFolderIsABundleWhateverItHolds() {
        assertFalse(installer().canHandle(root.resolve("deploy/model.jar").toFile()));
        assertEquals(List.of(), asked, "the kernel is not even asked");
    }

    @Test
    void theModelWatchersJarOfAFolderAndArchivesGoToTheKernel() {
        File jarOfFolder = root.resolve("work/fileinstall-models/folded.jar").toFile();
        File archive = root.resolve("deploy/digits.mar").toFile();

        assertTrue(installer().canHandle(jarOfFolder));
        assertTrue(installer().canHandle(archive));
        assertEquals(List.of(jarOfFolder.toPath(), archive.toPath()), asked);
    }
}
