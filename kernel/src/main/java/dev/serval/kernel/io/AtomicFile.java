package dev.serval.kernel.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;

/**
 * Replaces a file's content in one step that survives a crash: the new content goes to a
 * temporary file beside it, is forced to disk, then renamed over the file, and the folder is
 * forced so that the rename itself is on disk. Readers see the old content or the new, never
 * half a file; after a crash or a power loss the file holds one of the two, never zero bytes.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /**
     * @param target the file to replace or create
     * @param content its new content
     * @param attributes the temporary file's attributes, such as its permissions, which the file
     *     keeps
     * @throws IOException when it cannot be written; the file is then as it was
     */
    public static void write(Path target, byte[] content, FileAttribute<?>... attributes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        forceFolder(dir);
    }

    /** A rename is durable once the folder holding it is; Linux and macOS sync a folder opened for reading. */
    private static void forceFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Windows cannot open a folder, and its renames are durable without it.
        }
    }
}
