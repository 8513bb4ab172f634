package dev.serval.kernel.log;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's last log lines, for the web console: what the process wrote to its standard output
 * and error, and what the logging backend wrote ({@link #keeping}). Only a server run by {@code bin/serval} captures
 * them; an application embedding Serval keeps its own streams, and this log is then empty.
 */
public interface ServerLog {

    /** The lines kept: the console shows the last ones. */
    int KEPT = 500;

    /**
     * @param count how many lines, at most
     * @return the last lines written, oldest first
     */
    List<String> last(int count);

    /** @return whether lines are captured at all */
    boolean captured();

    /** @return the process's log, once {@link #capture()} has run; an empty one before */
    static ServerLog current() {
        return Installed.LOG.get();
    }

    /**
     * Keeps the last {@link #KEPT} lines of {@code System.out} and {@code System.err} from now on,
     * while still writing them where they went. Once per process; later calls do nothing.
     */
    static void capture() {
        LastLines lines = new LastLines(KEPT);
        if (Installed.LOG.compareAndSet(Installed.NONE, lines)) {
            lines.tee();
        }
    }

    /**
     * @param out where the logging backend writes the log: the process's standard output, taken
     *     once, which {@code System.out}'s capture does not see
     * @return a stream writing to {@code out} whose lines are kept too, once {@link #capture()} has run
     */
    static OutputStream keeping(OutputStream out) {
        return new LastLines.Tee(out, StandardCharsets.UTF_8, line -> {
            if (current() instanceof LastLines lines) {
                lines.add(line);
            }
        });
    }

    /** The log in use. */
    final class Installed {

        private static final ServerLog NONE = new ServerLog() {
            @Override
            public List<String> last(int count) {
                return List.of();
            }

            @Override
            public boolean captured() {
                return false;
            }
        };
        private static final AtomicReference<ServerLog> LOG = new AtomicReference<>(NONE);

        private Installed() {}
    }
}
