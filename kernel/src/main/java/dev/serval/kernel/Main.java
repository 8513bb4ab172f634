package dev.serval.kernel;

import dev.serval.kernel.archive.ArchiveCommand;
import dev.serval.kernel.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code bin/serval}: without a subcommand, starts the server in the foreground until SIGTERM or
 * Ctrl-C; {@code bin/serval archive} packs a model.
 */
@Command(name = "serval", mixinStandardHelpOptions = true, version = "Serval 0.1.0",
        description = "Serves PyTorch (TorchScript) and ONNX models over TorchServe's REST APIs.",
        subcommands = ArchiveCommand.class)
public final class Main implements Callable<Integer> {

    @Option(names = "--config", description = "TorchServe config.properties file (default: conf/config.properties)")
    private Path configFile;

    @Option(names = "--model-store", description = "Folder of model archives")
    private Path modelStore;

    @Option(names = "--models", split = ",", description = "Models to load: all, or [name=]archive, ...")
    private List<String> models;

    @Option(names = "--deploy", description = "Hot-deploy folder (default: deploy)")
    private Path deployDir;

    @Option(names = "--work-dir", description = "Folder for extracted models and the framework cache (default: work)")
    private Path workDir;

    @Option(names = "--cache-dir", description = "Folder for native libraries unpacked at first start (default: work/cache)")
    private Path cacheDir;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line of {@code bin/serval} and its subcommands */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportBadInput);
    }

    /** Bad input ends in one line saying what to fix, not in a stack trace. */
    private static int reportBadInput(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IOException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return 1;
        }
        throw e;
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("serval.home", ".")).toAbsolutePath().normalize();
        ServerConfig.Builder config = ServerConfig.defaults(home);
        Path properties = configFile != null ? configFile : home.resolve("conf/config.properties");
        if (configFile != null || Files.exists(properties)) {
            config.properties(properties);
        }
        if (modelStore != null) {
            config.modelStore(modelStore.toAbsolutePath());
        }
        if (models != null) {
            config.loadModels(models.stream().flatMap(m -> ServerConfig.splitList(m).stream()).toList());
        }
        if (deployDir != null) {
            config.deployDir(deployDir.toAbsolutePath());
        }
        if (workDir != null) {
            config.workDir(workDir.toAbsolutePath());
        }
        if (cacheDir != null) {
            config.cacheDir(cacheDir.toAbsolutePath());
        }

        Serval server = Serval.start(config.build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "serval-shutdown"));
        stopped.await();
        return 0;
    }
}
