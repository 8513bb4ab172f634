package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUnzipTest {

    @TempDir
    Path tmp;

    private Path target;

    @BeforeEach
    void createTarget() throws IOException {
        target = Files.createDirectory(tmp.resolve("target"));
    }

    @Test
    void extractsNestedEntriesWithTheirContent() throws IOException {
        Path zip = Zips.write(
                tmp.resolve("a.zip"),
                Zips.entries(
                        "top.txt", "top",
                        "MAR-INF/MANIFEST.json", "{}",
                        "deep/er/file.bin", "nested content"));

        SafeUnzip.extract(zip, target);

        assertEquals("top", Files.readString(target.resolve("top.txt")));
        assertEquals("{}", Files.readString(target.resolve("MAR-INF/MANIFEST.json")));
        assertEquals("nested content", Files.readString(target.resolve("deep/er/file.bin")));
    }

    @Test
    void refusesParentDirectoryEntryAndWritesNothingOutside() throws IOException {
        Path zip = Zips.write(tmp.resolve("slip.zip"), Zips.entries("../evil.txt", "pwned"));

        IOException e = assertThrows(IOException.class, () -> SafeUnzip.extract(zip, target));

        assertTrue(e.getMessage().contains("../evil.txt"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertEquals(List.of("slip.zip", "target"), Zips.children(tmp));
    }

    @Test
    void refusesNestedParentDirectoryEntryThatClimbsOut() throws IOException {
        Path zip = Zips.write(tmp.resolve("slip.zip"), Zips.entries("a/../../evil.txt", "pwned"));

        assertThrows(IOException.class, () -> SafeUnzip.extract(zip, target));

        assertFalse(Files.exists(tmp.resolve("evil.txt")));
    }

    @Test
    void refusesAbsoluteEntryAndWritesNothingOutside() throws IOException {
        Path outside = tmp.resolve("outside").resolve("abs.txt").toAbsolutePath();
        Path zip = Zips.write(tmp.resolve("abs.zip"), Zips.entries(outside.toString(), "pwned"));

        assertThrows(IOException.class, () -> SafeUnzip.extract(zip, target));

        assertFalse(Files.exists(outside));
        assertFalse(Files.exists(tmp.resolve("outside")));
        assertEquals(List.of(), Zips.children(target));
    }

    @Test
    void refusesFileThatIsNotAZip() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("model.mar"), "this is plain text, not a zip archive");

        assertThrows(IOException.class, () -> SafeUnzip.extract(notZip, target));

        assertEquals(List.of(), Zips.children(target));
    }
}
