package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.dev.DevLoop;
import dev.serval.kernel.log.ServerLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serval dev}: the server, plus a loop that puts each rebuilt handler jar and each edited
 * model folder into the deploy folder, where hot deployment takes them up; on stop it takes
 * out what it added there.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Serves, and redeploys handler projects and model folders when they change.")
final class DevCommand implements Callable<Integer> {

    @Mixin
    private ServerOptions server;

    @Option(
            names = "--handler-project",
            split = ",",
            description = "A handler project whose target/*.jar is redeployed when Maven rebuilds it")
    private List<Path> handlerProjects = List.of();

    @Option(
            names = "--model",
            split = ",",
            description = "A model folder (with MAR-INF/MANIFEST.json) redeployed when edited")
    private List<Path> models = List.of();

    @Override
    public Integer call() throws Exception {
        if (handlerProjects.isEmpty() && models.isEmpty()) {
            throw new IllegalArgumentException("Nothing to watch: give --handler-project, --model or both");
        }
        ServerConfig config = server.config();
        ServerLog.capture(); // for the web console's log lines
        DevLoop loop = DevLoop.watch(config.deployDir(), handlerProjects, models);
        // Stopped in reverse: the loop, the server, then what the loop added to deploy/ is taken
        // out, with no watcher left to react to it.
        Main.runUntilStopped(loop::retire, Serval.start(config), loop.start());
        return 0;
    }
}
