package dev.serval.kernel;

import dev.serval.kernel.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code work/serval.pid}: the process id of the server {@code serval start} started on that work
 * folder, one number as TorchServe writes its {@code .model_server.pid}. It lives in the work folder
 * because the work folder is what identifies a server (one at a time holds it, see
 * {@link WorkFolderLock}), so {@code start}, {@code stop} and {@code status} with the same options
 * find the same file.
 *
 * @param path the file
 */
record PidFile(Path path) {

    /** The file's name in the work folder. */
    static final String FILE = "serval.pid";

    /**
     * @param workDir the server's work folder
     * @return its pid file
     */
    static PidFile in(Path workDir) {
        return new PidFile(workDir.resolve(FILE));
    }

    /** @return the pid the file names; empty when there is no file or it holds no number */
    OptionalLong read() throws IOException {
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII).strip();
            return text.matches("\\d{1,18}") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A pid names the server while that process runs {@link Main}: after the server ended, the OS
     * may give its pid to any other process, which {@code stop} must not signal. (TorchServe checks
     * its pid's command line for its main class in the same way.)
     *
     * @return the server the file names, while it runs
     */
    Optional<ProcessHandle> server() throws IOException {
        OptionalLong pid = read();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).filter(PidFile::runsServal);
    }

    /** A process whose arguments this user may not read is taken at its word. */
    private static boolean runsServal(ProcessHandle process) {
        return process.info()
                .arguments()
                .map(arguments -> Arrays.asList(arguments).contains(Main.class.getName()))
                .orElse(true);
    }

    /** @return whether the file is there, naming a server or not */
    boolean exists() {
        return Files.exists(path);
    }

    /**
     * @param pid the server's process id
     * @throws IOException when the file cannot be written
     */
    void write(long pid) throws IOException {
        AtomicFile.write(path, (pid + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param pid the process id the file must name to be deleted, so that a start that failed does
     *     not delete the pid file of another start's server
     * @throws IOException when the file cannot be deleted
     */
    void deleteIfNaming(long pid) throws IOException {
        if (read().equals(OptionalLong.of(pid))) {
            Files.deleteIfExists(path);
        }
    }

    /** @throws IOException when the file cannot be deleted */
    void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
