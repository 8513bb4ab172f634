package dev.serval.kernel.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Writes archives whole or not at all: into a temporary file beside the target, then moved over
 * it, so a server watching the folder never reads half an archive.
 */
public final class ArchiveWriter {

    private ArchiveWriter() {}

    /**
     * @param target the {@code .mar} or {@code .jar} to write
     * @param jarManifest the {@code META-INF/MANIFEST.MF} to write first, or {@code null} for a
     *     plain zip
     * @param files what to store, by path inside the archive
     * @param generated content made here (a {@code MANIFEST.json}), stored after the files
     * @throws IOException when a file cannot be read or the archive written
     */
    public static void zip(Path target, Manifest jarManifest, Map<String, Path> files, Map<String, byte[]> generated)
            throws IOException {
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".part");
        try {
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(temp)) {
                if (jarManifest != null) {
                    zip.putArchiveEntry(new ZipArchiveEntry(JarFile.MANIFEST_NAME));
                    jarManifest.write(zip);
                    zip.closeArchiveEntry();
                }
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(file.getValue(), file.getKey()));
                    Files.copy(file.getValue(), zip);
                    zip.closeArchiveEntry();
                }
                for (Map.Entry<String, byte[]> entry : generated.entrySet()) {
                    zip.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
                    zip.write(entry.getValue());
                    zip.closeArchiveEntry();
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * @param dir the folder to fill; it must not exist
     * @param files what to copy, by path inside the folder
     * @param generated content made here, written after the files
     * @throws IOException when a file cannot be copied
     */
    static void folder(Path dir, Map<String, Path> files, Map<String, byte[]> generated) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Files.copy(file.getValue(), createParents(dir.resolve(file.getKey())));
        }
        for (Map.Entry<String, byte[]> entry : generated.entrySet()) {
            try (OutputStream out = Files.newOutputStream(createParents(dir.resolve(entry.getKey())))) {
                out.write(entry.getValue());
            }
        }
    }

    private static Path createParents(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return file;
    }
}
