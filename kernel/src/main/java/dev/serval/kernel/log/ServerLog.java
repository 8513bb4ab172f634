package dev.serval.kernel.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's last log lines, for the web console: what the process wrote to its standard output
 * and error, whatever logging backend wrote it. Only a server run by {@code bin/serval} captures
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

        private Installed() {
        }
    }
}
