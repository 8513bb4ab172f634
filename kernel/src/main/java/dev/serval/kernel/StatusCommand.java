package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;

/**
 * {@code serval status}: whether the server {@code serval start} started runs, with the exit codes
 * of an LSB init script's {@code status}, so that service managers and scripts can ask it.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Says whether the server serval start started with these settings runs, and where it listens.",
            "Exits 0 when it runs, 1 when its pid file is left from a server that ended, 3 when none runs (LSB)."
        })
final class StatusCommand extends StartedServerCommand {

    /** LSB: the program is running. */
    static final int RUNNING = 0;
    /** LSB: the program is dead and its pid file exists. */
    static final int DEAD_WITH_PID_FILE = 1;
    /** LSB: the program is not running. */
    static final int NOT_RUNNING = 3;

    @Override
    int call(ServerConfig config, PidFile pidFile, Optional<ProcessHandle> server, PrintWriter out) throws IOException {
        if (server.isPresent()) {
            out.println("Serval is running (pid " + server.get().pid() + "): " + addresses(config));
            return RUNNING;
        }
        if (pidFile.exists()) {
            out.println("Serval is not running: " + stale(pidFile));
            return DEAD_WITH_PID_FILE;
        }
        out.println("Serval is not running");
        return NOT_RUNNING;
    }

    /**
     * @param config the server's settings
     * @return where its APIs listen
     */
    static String addresses(ServerConfig config) {
        return "inference " + config.inferenceAddress() + ", management " + config.managementAddress() + ", metrics "
                + config.metricsAddress();
    }

    /**
     * @param pidFile a pid file naming no running server
     * @return what it names, for the line saying it is stale
     */
    static String stale(PidFile pidFile) throws IOException {
        OptionalLong pid = pidFile.read();
        return "stale pid file " + pidFile.path()
                + (pid.isPresent() ? " (pid " + pid.getAsLong() + " is not a running Serval)" : " (no pid in it)");
    }
}
