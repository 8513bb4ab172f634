package dev.serval.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Extracts a zip archive into a folder, refusing any entry that would land outside it
 * ("zip slip": {@code ../} names, absolute names, symbolic links) and archives that expand
 * beyond a size limit.
 */
final class SafeUnzip {

    /** Model archives are small; a multi-gigabyte expansion is a zip bomb, not a model. */
    static final long MAX_EXPANDED_BYTES = 8L << 30;

    private SafeUnzip() {}

    /**
     * @param archive the zip file
     * @param target an empty folder
     * @throws IOException when the archive is not a zip, or holds an entry that escapes the folder
     */
    static void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root) || destination.equals(root) && !entry.isDirectory()) {
                    throw new IOException("Archive entry escapes the model folder: " + entry.getName());
                }
                if (entry.isUnixSymlink()) {
                    throw new IOException("Archive entry is a symbolic link: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    total += Files.copy(in, destination);
                }
                if (total > MAX_EXPANDED_BYTES) {
                    throw new IOException("Archive expands beyond " + (MAX_EXPANDED_BYTES >> 30) + " GiB");
                }
            }
        }
    }
}
