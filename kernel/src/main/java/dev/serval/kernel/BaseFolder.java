package dev.serval.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's data folder, "base" (as Tomcat's {@code CATALINA_BASE} beside its
 * {@code CATALINA_HOME}): {@code deploy/}, {@code model-store/}, {@code work/} and {@code logs/}.
 * The installation ("home": {@code bin/}, {@code lib/}, {@code bundles/}, {@code conf/}) is only
 * read, so that rebuilding it ({@code mvn clean}), upgrading it or installing it read-only leaves
 * what a user deployed, registered and was issued where it was.
 *
 * @param path the folder
 */
record BaseFolder(Path path) {

    /** The environment variable naming the base. */
    static final String ENV = "SERVAL_BASE";

    private static final Logger LOG = LoggerFactory.getLogger(BaseFolder.class);

    /**
     * {@code ~/.serval} by default, not the installation folder: the quick start's installation is
     * Maven's build output, which {@code mvn clean} deletes, and an installed one may be read-only
     * or replaced whole by an upgrade. One default for every installation also means that a
     * rebuilt or upgraded server finds the same data.
     *
     * @param option {@code --base}, or null
     * @param env the environment, for {@value #ENV}
     * @param userHome the user's home folder
     * @return {@code --base}, else {@value #ENV}, else {@code ~/.serval}; absolute
     */
    static BaseFolder resolve(Path option, Map<String, String> env, Path userHome) {
        String variable = env.get(ENV);
        Path path = option != null
                ? option
                : variable != null && !variable.isBlank() ? Path.of(variable) : userHome.resolve(".serval");
        return new BaseFolder(path.toAbsolutePath().normalize());
    }

    /** @return the folder of {@code serval start}'s server log */
    Path logs() {
        return path.resolve("logs");
    }

    /** @return the default model store */
    Path modelStore() {
        return path.resolve("model-store");
    }

    /**
     * Fills a new base's model store with the installation's example archives, once: so that a
     * fresh machine serves the quick start's models, and an example the user deletes stays deleted.
     *
     * @param store the model store the server will use: only the default one is filled
     * @param home the installation, whose {@code model-store/} holds the examples
     * @throws IOException when the store cannot be made or an example cannot be copied
     */
    void seedModelStore(Path store, Path home) throws IOException {
        Path examples = home.resolve("model-store");
        if (!store.equals(modelStore()) || Files.exists(store) || !Files.isDirectory(examples)) {
            return;
        }
        // Filled beside it and moved in whole: a start interrupted half-way leaves no partial store
        // that would never be filled again.
        Path partial = Files.createTempDirectory(Files.createDirectories(path), "model-store");
        try (Stream<Path> archives = Files.list(examples)) {
            for (Path archive : archives.filter(Files::isRegularFile).toList()) {
                Files.copy(archive, partial.resolve(archive.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(partial, store, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Model store {} made, with the installation's examples", store);
    }
}
