package dev.serval.kernel.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.api.BundleJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What serval dev publishes, and when: a change once it has held still, each under one name. */
class DevSourceTest {

    @TempDir
    Path dir;

    @Test
    void theBuiltJarIsPublishedOnceSettledAndAgainWhenRebuilt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("my-handler/target"));
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        DevSource source = DevSource.handlerProject(project.getParent(), deploy);
        assertFalse(source.changedAndSettled(), "nothing built yet");

        Files.write(project.resolve("my-handler-1.0-sources.jar"), new byte[] {9});
        Path jar = Files.write(project.resolve("my-handler-1.0.jar"), new byte[] {1});
        assertFalse(source.changedAndSettled(), "just written: it may still be growing");
        assertTrue(source.changedAndSettled());
        assertEquals(deploy.resolve("my-handler.jar"), source.publish());
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(deploy.resolve("my-handler.jar")));
        assertFalse(source.changedAndSettled(), "published already");

        Files.write(jar, new byte[] {2, 2});
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertFalse(source.changedAndSettled());
        assertTrue(source.changedAndSettled());
        source.publish();
        assertArrayEquals(new byte[] {2, 2}, Files.readAllBytes(deploy.resolve("my-handler.jar")));
        try (var files = Files.list(deploy)) {
            assertEquals(List.of(deploy.resolve("my-handler.jar")), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aModelFolderIsPublishedAsAMarOfItsFiles() throws Exception {
        Path model = Files.createDirectories(dir.resolve("digits/MAR-INF"));
        Files.writeString(model.resolve("MANIFEST.json"), "{}");
        Files.writeString(model.getParent().resolve("model-config.yaml"), "minWorkers: 1\n");
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        DevSource source = DevSource.modelFolder(model.getParent(), deploy);
        source.changedAndSettled();
        assertTrue(source.changedAndSettled());

        try (ZipFile mar = new ZipFile(source.publish().toFile())) {
            assertEquals(
                    List.of("MAR-INF/MANIFEST.json", "model-config.yaml"),
                    Collections.list(mar.entries()).stream()
                            .map(ZipEntry::getName)
                            .toList());
        }
        Files.writeString(model.getParent().resolve("model-config.yaml"), "minWorkers: 2\n");
        Files.setLastModifiedTime(
                model.getParent().resolve("model-config.yaml"),
                FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        source.changedAndSettled();
        assertTrue(source.changedAndSettled(), "an edited file is a change");
    }

    @Test
    void whatIsNotAProjectOrAModelFolderIsRefused() {
        IllegalArgumentException noManifest =
                assertThrows(IllegalArgumentException.class, () -> DevSource.modelFolder(dir, dir));
        assertTrue(noManifest.getMessage().contains("has no MAR-INF/MANIFEST.json"), noManifest.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DevSource.handlerProject(dir.resolve("none"), dir));
    }

    @Test
    void onStopWhatDevAddedIsRemovedAndWhatWasThereBeforeIsLeft() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path own = Files.writeString(deploy.resolve("someone-elses.mar"), "kept");
        Path handler = BundleJars.write(deploy.resolve("other-handler.jar"), "other.handler", "1.0.0", 1_000);
        Set<Path> before = Set.of(own, handler);

        DevSource added = published(handlerProject("my-handler", "my.handler", "1.0.0"), deploy);
        assertEquals(Optional.empty(), added.retire(before));
        assertFalse(Files.exists(deploy.resolve("my-handler.jar")), "a bundle dev added is removed");

        Path model = Files.createDirectories(dir.resolve("digits/MAR-INF"));
        Files.writeString(model.resolve("MANIFEST.json"), "{}");
        DevSource mar = published(DevSource.modelFolder(model.getParent(), deploy), deploy);
        assertEquals(Optional.empty(), mar.retire(before));
        assertFalse(Files.exists(deploy.resolve("digits.mar")), "a model dev added is removed");

        try (var files = Files.list(deploy)) {
            assertEquals(before, Set.copyOf(files.toList()));
        }
        assertEquals("kept", Files.readString(own));
    }

    @Test
    void onStopTheNewestBuildOfABundleThatWasDeployedBeforeTakesTheOlderBuildsFile() throws Exception {
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        Path older = BundleJars.write(deploy.resolve("my-handler-1.0.jar"), "my.handler", "1.0.0", 1_000);

        DevSource newer = published(handlerProject("my-handler", "my.handler", "1.0.0"), deploy);
        assertEquals(Optional.of(older), newer.retire(Set.of(older)));
        assertFalse(Files.exists(deploy.resolve("my-handler.jar")));
        assertTrue(Files.getLastModifiedTime(older).toMillis() > 1_000, "the file holds the newer build now");

        Path higher = BundleJars.write(deploy.resolve("my-handler-9.jar"), "my.handler", "9.0.0", 1_000);
        DevSource lower = published(handlerProject("my-handler", "my.handler", "1.0.0"), deploy);
        assertEquals(Optional.empty(), lower.retire(Set.of(older, higher)), "a build that never served is removed");
        assertFalse(Files.exists(deploy.resolve("my-handler.jar")));
        assertEquals(1_000, Files.getLastModifiedTime(higher).toMillis(), "the higher version is left alone");

        Path same = Files.copy(older, deploy.resolve("my-handler.jar"));
        DevSource overwrote = published(handlerProject("my-handler", "my.handler", "1.0.0"), deploy);
        assertEquals(
                Optional.of(same),
                overwrote.retire(Set.of(older, higher, same)),
                "a file of the same name that was there before keeps the newest build");
    }

    /** @return a handler project whose target/ holds a build of that bundle */
    private DevSource handlerProject(String name, String symbolicName, String version) throws Exception {
        Path target = Files.createDirectories(dir.resolve(name + "/target"));
        BundleJars.write(
                target.resolve(name + "-" + version + ".jar"),
                symbolicName,
                version,
                System.currentTimeMillis() - 60_000);
        return DevSource.handlerProject(target.getParent(), dir.resolve("deploy"));
    }

    private static DevSource published(DevSource source, Path deploy) throws Exception {
        source.changedAndSettled();
        assertTrue(source.changedAndSettled());
        assertEquals(deploy, source.publish().getParent());
        return source;
    }
}
