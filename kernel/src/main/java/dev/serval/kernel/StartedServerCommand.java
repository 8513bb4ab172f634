package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command on the server {@code serval start} started: it finds the pid file as that server found
 * its work folder, from the same {@code --config}, {@code --work-dir} and {@code --base}.
 */
abstract class StartedServerCommand implements Callable<Integer> {

    @Mixin
    private ConfigLocation location;

    @Spec
    private CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        ServerConfig config = location.config().build();
        PidFile pidFile = PidFile.in(config.workDir());
        return call(config, pidFile, pidFile.server(), spec.commandLine().getOut());
    }

    /**
     * @param config the server's settings
     * @param pidFile its pid file
     * @param server the server it names, while it runs
     * @param out where to say what happened
     * @return the exit code
     * @throws Exception when the pid file cannot be read or removed
     */
    abstract int call(ServerConfig config, PidFile pidFile, Optional<ProcessHandle> server, PrintWriter out)
            throws Exception;

    /** @return where to say what failed */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
