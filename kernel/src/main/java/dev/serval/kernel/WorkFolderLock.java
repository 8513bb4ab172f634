package dev.serval.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The work folder, held by one server at a time: two servers on one folder would overwrite each
 * other's key file, snapshot and extracted models, and the one stopping last would delete the
 * other's key file. The hold is an OS lock on {@value #FILE}, released by the OS when the process
 * ends however it ends, so a crash (kill -9 included) never leaves a stale lock behind; the file
 * itself stays, holding the pid of the last server that held it.
 */
final class WorkFolderLock implements AutoCloseable {

    /** The lock file's name in the work folder. */
    static final String FILE = "serval.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkFolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param workDir the work folder, created if missing
     * @return the hold on it, for the life of the server
     * @throws IOException when another server holds it, saying which process, or it cannot be locked
     */
    static WorkFolderLock acquire(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        // Opened without truncating: the holder's pid stays readable until this process holds the lock.
        FileChannel channel = FileChannel.open(
                workDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IOException("Work folder " + workDir.toAbsolutePath() + " is in use by another server"
                        + holder(channel) + "; give this one its own --work-dir");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
                    0);
            return new WorkFolderLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the lock, or null when another process holds it or this one does (a server started in-process) */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer pid = ByteBuffer.allocate(20);
        channel.read(pid, 0);
        String text = new String(pid.array(), 0, pid.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("\\d+") ? " (pid " + text + ")" : "";
    }

    /** Lets another server have the folder. */
    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
