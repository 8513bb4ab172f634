package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/serval}: starts the server in the foreground until SIGTERM or Ctrl-C. */
@Command(name = "serval", mixinStandardHelpOptions = true, version = "Serval 0.1.0",
        description = "Serves PyTorch (TorchScript) and ONNX models over TorchServe's REST APIs.")
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

    @Option(names = {"--ncs", "--no-config-snapshots"},
            description = "Neither restore the models of the last run nor record changes (default: both)")
    private boolean noSnapshots;

    @Option(names = "--enable-model-api", description = "Allow registering and unregistering models over the management API")
    private boolean enableModelApi;

    @Option(names = "--disable-token-auth",
            description = "Serve the inference and management APIs without keys (default: keys in work/key_file.json)")
    private boolean disableTokenAuth;

    @Option(names = "--cache-dir", description = "Folder for native libraries unpacked at first start (default: work/cache)")
    private Path cacheDir;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
        if (noSnapshots) {
            config.snapshots(false);
        }
        if (enableModelApi) {
            config.modelApi(true);
        }
        if (disableTokenAuth) {
            config.tokenAuthorization(false);
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
