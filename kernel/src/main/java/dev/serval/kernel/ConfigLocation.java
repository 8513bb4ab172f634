package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a server's settings and data are (the installation, {@code serval.home}, and the
 * {@link BaseFolder base}): what {@code serval} needs to start one, and what
 * {@code serval shell} needs to find a running one (its management address and key file).
 */
final class ConfigLocation {

    @Option(
            names = {"--config", "--ts-config"},
            description = "TorchServe config.properties file (default: $TS_CONFIG_FILE, else conf/config.properties)")
    private Path configFile;

    @Option(
            names = "--work-dir",
            description = "Folder for extracted models, the framework cache and the key file (default: work)")
    private Path workDir;

    @Option(
            names = "--base",
            description =
                    "Folder of deploy, model-store, work and logs (default: $" + BaseFolder.ENV + ", else ~/.serval)")
    private Path base;

    /** @return the installation, {@code serval.home} as {@code bin/serval} sets it */
    static Path home() {
        return Path.of(System.getProperty("serval.home", ".")).toAbsolutePath().normalize();
    }

    /** @return the user's data folder these options name */
    BaseFolder base() {
        return BaseFolder.resolve(base, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * @return {@link #config(Map)} with the process's environment
     * @throws IOException when the config file cannot be read
     */
    ServerConfig.Builder config() throws IOException {
        return config(System.getenv());
    }

    /**
     * @param environment the environment: {@code TS_CONFIG_FILE} names the config file, over
     *     {@code --config} as in TorchServe; its {@code TS_*} variables go to the builder
     * @return the defaults, then {@code config.properties}, then {@code --work-dir}
     * @throws IOException when the config file cannot be read
     * @throws IllegalArgumentException when the named config file does not exist
     */
    ServerConfig.Builder config(Map<String, String> environment) throws IOException {
        Path home = home();
        ServerConfig.Builder config = ServerConfig.defaults(home, base().path());
        String fromEnvironment = environment.getOrDefault("TS_CONFIG_FILE", "");
        Path named = fromEnvironment.isBlank() ? configFile : Path.of(fromEnvironment);
        Path properties = named != null ? named : home.resolve("conf/config.properties");
        if (named != null && !Files.isRegularFile(named)) {
            throw new IllegalArgumentException(
                    (fromEnvironment.isBlank() ? "--config " : "TS_CONFIG_FILE ") + named + " is not a file");
        }
        if (named != null || Files.exists(properties)) {
            config.properties(properties);
        }
        config.environment(environment);
        if (workDir != null) {
            config.workDir(workDir.toAbsolutePath());
        }
        return config;
    }
}
