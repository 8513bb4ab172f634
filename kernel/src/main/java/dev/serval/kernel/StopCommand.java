package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;

/**
 * {@code serval stop}: SIGTERM to the server {@code serval start} started, as
 * {@code torchserve --stop} sends it, then waits for it to have stopped (its models unloaded, its
 * key file deleted) before it removes the pid file and returns.
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = {
            "Stops the server serval start started with these settings, and waits for it to end.",
            "Exits 0 once it ended (or when none runs); 1 when it is still running after 60 s."
        })
final class StopCommand extends StartedServerCommand {

    /** How long a stop waits for the server to end after SIGTERM. */
    static final Duration GRACE = Duration.ofSeconds(60);

    @Override
    int call(ServerConfig config, PidFile pidFile, Optional<ProcessHandle> server, PrintWriter out) throws Exception {
        if (server.isEmpty()) {
            if (pidFile.exists()) {
                out.println(StatusCommand.stale(pidFile) + ": removed it");
                pidFile.delete();
            } else {
                out.println("Serval is not running (no " + pidFile.path() + ")");
            }
            return 0;
        }
        long pid = server.get().pid();
        if (!server.get().destroy()) {
            err().println("Serval (pid " + pid + ") cannot be sent SIGTERM by this user");
            return 1;
        }
        out.println("Stopping Serval (pid " + pid + ")");
        out.flush();
        try {
            server.get().onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            err().println("Serval (pid " + pid + ") is still running " + GRACE.toSeconds()
                    + " s after SIGTERM: serval status says whether it ended since; kill -KILL " + pid + " ends it");
            return 1;
        }
        pidFile.deleteIfNaming(pid);
        out.println("Serval stopped");
        return 0;
    }
}
