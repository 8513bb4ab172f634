package dev.serval.kernel;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code serval stop}: SIGTERM to the server {@code serval start} started, as
 * {@code torchserve --stop} sends it, then waits for it to have stopped (its models unloaded, its
 * key file deleted) before it removes the pid file and returns.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops the server serval start started with these settings, and waits for it to end.",
            "Exits 0 once it ended (or when none runs); 1 when it is still running after 60 s."})
final class StopCommand implements Callable<Integer> {

    /** How long a stop waits for the server to end after SIGTERM. */
    static final Duration GRACE = Duration.ofSeconds(60);

    @Mixin
    private ConfigLocation location;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PidFile pidFile = PidFile.in(location.config().build().workDir());
        Optional<ProcessHandle> server = pidFile.server();
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
            spec.commandLine().getErr().println("Serval (pid " + pid + ") cannot be sent SIGTERM by this user");
            return 1;
        }
        out.println("Stopping Serval (pid " + pid + ")");
        out.flush();
        try {
            server.get().onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            spec.commandLine().getErr().println("Serval (pid " + pid + ") is still running " + GRACE.toSeconds()
                    + " s after SIGTERM: serval status says whether it ended since; kill -KILL " + pid + " ends it");
            return 1;
        }
        pidFile.deleteIfNaming(pid);
        out.println("Serval stopped");
        return 0;
    }
}
