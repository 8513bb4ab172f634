package dev.serval.kernel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFolderTest {

    @TempDir
    Path dir;
    private final List<String> calls = new ArrayList<>();
    private final ModelDeployer recorder = new ModelDeployer() {
        @Override
        public void deploy(Path artifact) {
            calls.add("deploy " + artifact.getFileName());
        }

        @Override
        public void redeploy(Path artifact) {
            calls.add("redeploy " + artifact.getFileName());
        }

        @Override
        public void undeploy(Path artifact) {
            calls.add("undeploy " + artifact.getFileName());
        }
    };

    @Test
    void archivesAndModelFoldersAreDeployedRedeployedAndUndeployedBundleJarsIgnored() throws IOException {
        DeployFolder folder = new DeployFolder(dir, recorder);
        Files.writeString(dir.resolve("a.mar"), "one");
        Files.createDirectories(dir.resolve("folded/MAR-INF"));
        Files.writeString(dir.resolve("folded/MAR-INF/MANIFEST.json"), "{}");
        Files.writeString(dir.resolve("handler.jar"), "a bundle: FileInstall's");
        Files.createDirectories(dir.resolve("not-a-model"));
        folder.poll();
        assertEquals(List.of("deploy a.mar", "deploy folded"), calls);

        calls.clear();
        folder.poll();
        assertEquals(List.of(), calls, "nothing changed");

        Files.writeString(dir.resolve("a.mar"), "two, longer");
        Files.writeString(dir.resolve("folded/weights.pt"), "new file in the folder");
        folder.poll();
        assertEquals(List.of("redeploy a.mar", "redeploy folded"), calls);

        calls.clear();
        Files.setLastModifiedTime(dir.resolve("a.mar"), FileTime.fromMillis(0));
        Files.delete(dir.resolve("folded/MAR-INF/MANIFEST.json"));
        folder.poll();
        assertEquals(List.of("undeploy folded", "redeploy a.mar"), calls, "a folder without its manifest is gone");

        calls.clear();
        Files.delete(dir.resolve("a.mar"));
        folder.poll();
        assertEquals(List.of("undeploy a.mar"), calls);
    }

    @Test
    void aFailingDeployDoesNotStopTheWatcher() throws IOException {
        List<String> deployed = new ArrayList<>();
        DeployFolder folder = new DeployFolder(dir, new ModelDeployer() {
            @Override
            public void deploy(Path artifact) {
                if (artifact.getFileName().toString().equals("a.mar")) {
                    throw new IllegalStateException("boom");
                }
                deployed.add(artifact.getFileName().toString());
            }

            @Override
            public void redeploy(Path artifact) {
            }

            @Override
            public void undeploy(Path artifact) {
            }
        });
        Files.writeString(dir.resolve("a.mar"), "x");
        Files.writeString(dir.resolve("b.mar"), "y");
        folder.poll();
        assertEquals(List.of("b.mar"), deployed);
    }

    @Test
    void aMissingFolderChangesNothing() throws IOException {
        DeployFolder folder = new DeployFolder(dir.resolve("absent"), recorder);
        folder.poll();
        assertEquals(List.of(), calls);
    }
}
