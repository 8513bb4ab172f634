package dev.serval.kernel.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
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
            assertEquals(List.of("MAR-INF/MANIFEST.json", "model-config.yaml"),
                    Collections.list(mar.entries()).stream().map(ZipEntry::getName).toList());
        }
        Files.writeString(model.getParent().resolve("model-config.yaml"), "minWorkers: 2\n");
        Files.setLastModifiedTime(model.getParent().resolve("model-config.yaml"),
                FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        source.changedAndSettled();
        assertTrue(source.changedAndSettled(), "an edited file is a change");
    }

    @Test
    void whatIsNotAProjectOrAModelFolderIsRefused() {
        IllegalArgumentException noManifest = assertThrows(IllegalArgumentException.class,
                () -> DevSource.modelFolder(dir, dir));
        assertTrue(noManifest.getMessage().contains("has no MAR-INF/MANIFEST.json"), noManifest.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DevSource.handlerProject(dir.resolve("none"), dir));
    }
}
