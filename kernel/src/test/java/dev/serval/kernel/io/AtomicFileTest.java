package dev.serval.kernel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void replacesTheContentAndLeavesNoTemporaryFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f.json"), "old content, longer than the new");

        AtomicFile.write(file, "new".getBytes());

        assertEquals("new", Files.readString(file));
        assertEquals(List.of(file), files());
    }

    @Test
    void createsTheFileAndItsFolderWithTheAttributesGiven() throws Exception {
        Path file = dir.resolve("sub/key.json");

        AtomicFile.write(
                file,
                "k".getBytes(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertEquals("k", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws Exception {
        // A non-empty folder cannot be replaced by a file: the rename fails after the content was written.
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.writeString(target.resolve("inside"), "kept");

        assertThrows(IOException.class, () -> AtomicFile.write(target, "new".getBytes()));

        assertEquals("kept", Files.readString(target.resolve("inside")));
        assertEquals(List.of(target), files());
    }
}
