package dev.serval.kernel.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.FileDescriptor;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;

/**
 * Writes the log to the process's standard output, file descriptor 1, taken once: Gogo later
 * redirects {@code System.out} per thread, and a command run from a remote shell session would
 * otherwise log into that session instead of the server's log (which Logback's
 * {@code ConsoleAppender}, writing to {@code System.out} at each event, would do). Each event
 * is one write, so lines of threads logging at once never interleave. With {@link #setFile}, it
 * appends to that file instead: the build's tests send what the servers they start log there.
 * Either way its lines are the web console's too ({@link ServerLog#keeping}).
 */
public final class ProcessOutAppender extends OutputStreamAppender<ILoggingEvent> {

    private String file = "";

    /** @param file the file to append to instead of the standard output; empty for the standard output */
    public void setFile(String file) {
        this.file = file == null ? "" : file.trim();
    }

    @Override
    public void start() {
        try {
            setOutputStream(ServerLog.keeping(
                    file.isEmpty() ? new FileOutputStream(FileDescriptor.out) : new FileOutputStream(file, true)));
        } catch (FileNotFoundException e) {
            addError("Cannot open the log file " + file, e);
            return;
        }
        super.start();
    }
}
