package dev.serval.kernel.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's settings, resolved once at start: defaults, then TorchServe's
 * {@code config.properties} keys, then the command line.
 *
 * @param inferenceAddress where {@code /ping} and {@code /predictions} listen
 * @param managementAddress where {@code /models} listens
 * @param metricsAddress where metrics will listen
 * @param modelStore the folder {@code load_models} and {@code url=} refer to
 * @param loadModels what to load from the model store at start: {@code all}, or names of
 *     archives, each optionally {@code name=archive}
 * @param deployDir the hot-deploy folder FileInstall watches
 * @param home the installation folder, holding {@code bundles/}
 * @param workDir where extracted models and the framework's cache go
 * @param cacheDir where DJL and ONNX Runtime unpack their native libraries, once
 */
public record ServerConfig(
        Address inferenceAddress,
        Address managementAddress,
        Address metricsAddress,
        Path modelStore,
        List<String> loadModels,
        Path deployDir,
        Path home,
        Path workDir,
        Path cacheDir) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);

    /** @return the bundles that make up the server, installed at start */
    public Path bundlesDir() {
        return home.resolve("bundles");
    }

    /**
     * Reads {@code config.properties}; unknown keys are kept out and logged, so a TorchServe
     * config file works unchanged.
     *
     * @param file the properties file
     * @param base the settings it overrides
     * @return the settings with the file's keys applied
     * @throws IOException when the file cannot be read
     */
    public static ServerConfig withProperties(Path file, ServerConfig base) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Path dir = file.toAbsolutePath().getParent();
        ServerConfig config = base;
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            switch (key) {
                case "inference_address" -> config = config.withInference(Address.parse(value));
                case "management_address" -> config = config.withManagement(Address.parse(value));
                case "metrics_address" -> config = config.withMetrics(Address.parse(value));
                case "model_store" -> config = config.withModelStore(dir.resolve(value).normalize());
                case "load_models" -> config = config.withLoadModels(splitList(value));
                default -> LOG.info("config.properties: key '{}' is not supported by Serval yet; ignored", key);
            }
        }
        return config;
    }

    /**
     * @param value TorchServe's list syntax: comma- or space-separated
     * @return the items, without blanks
     */
    public static List<String> splitList(String value) {
        return Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    public ServerConfig withInference(Address a) {
        return new ServerConfig(a, managementAddress, metricsAddress, modelStore, loadModels, deployDir, home, workDir, cacheDir);
    }

    public ServerConfig withManagement(Address a) {
        return new ServerConfig(inferenceAddress, a, metricsAddress, modelStore, loadModels, deployDir, home, workDir, cacheDir);
    }

    public ServerConfig withMetrics(Address a) {
        return new ServerConfig(inferenceAddress, managementAddress, a, modelStore, loadModels, deployDir, home, workDir, cacheDir);
    }

    public ServerConfig withModelStore(Path p) {
        return new ServerConfig(inferenceAddress, managementAddress, metricsAddress, p, loadModels, deployDir, home, workDir, cacheDir);
    }

    public ServerConfig withLoadModels(List<String> l) {
        return new ServerConfig(inferenceAddress, managementAddress, metricsAddress, modelStore, List.copyOf(l), deployDir, home, workDir, cacheDir);
    }

    public ServerConfig withDeployDir(Path p) {
        return new ServerConfig(inferenceAddress, managementAddress, metricsAddress, modelStore, loadModels, p, home, workDir, cacheDir);
    }

    public ServerConfig withWorkDir(Path p) {
        return new ServerConfig(inferenceAddress, managementAddress, metricsAddress, modelStore, loadModels, deployDir, home, p, cacheDir);
    }

    public ServerConfig withCacheDir(Path p) {
        return new ServerConfig(inferenceAddress, managementAddress, metricsAddress, modelStore, loadModels, deployDir, home, workDir, p);
    }
}
