package dev.serval.kernel.shell;

import java.util.Map;
import org.osgi.framework.Constants;

/**
 * {@code exit} on the server's console: stops the server as SIGTERM does. Without it Gogo finds
 * {@code system:exit}, {@link System#exit(int)}, which wants a status and, given one, waits on the
 * shell's thread for a stop that interrupts that thread: an {@code InterruptedException} on the
 * console. ({@code bin/serval shell} ends its own session on {@code exit}, and never sends it.)
 */
public final class ExitCommand {

    /** @return the service properties that make Gogo offer {@code exit}, ahead of {@code system:exit} */
    public static Map<String, Object> properties() {
        return Map.of(
                "osgi.command.scope",
                "serval",
                "osgi.command.function",
                new String[] {"exit"},
                Constants.SERVICE_RANKING,
                1);
    }

    /** Stops the server from a thread of its own, so that the shell's thread returns to its prompt. */
    public void exit() {
        new Thread(() -> System.exit(0), "serval-exit").start();
    }
}
