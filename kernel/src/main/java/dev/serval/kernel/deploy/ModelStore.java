package dev.serval.kernel.deploy;

import dev.serval.kernel.model.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads models from the model store at start, as TorchServe's {@code load_models} / {@code --models}:
 * {@code all}, or a list of {@code archive} and {@code name=archive} entries.
 */
public final class ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

    private final Path dir;
    private final Deployments deployments;

    /**
     * @param dir the model store folder
     * @param deployments where loaded models go
     */
    public ModelStore(Path dir, Deployments deployments) {
        this.dir = dir;
        this.deployments = deployments;
    }

    /**
     * @param specs the {@code load_models} entries; none loads nothing
     */
    public void load(List<String> specs) {
        for (String spec : specs) {
            if (spec.equals("all")) {
                loadAll();
                continue;
            }
            int eq = spec.indexOf('=');
            Optional<String> name = eq < 0 ? Optional.empty() : Optional.of(spec.substring(0, eq));
            String file = eq < 0 ? spec : spec.substring(eq + 1);
            Path artifact = resolve(file);
            if (artifact == null) {
                LOG.error("Model {} not found in the model store {}", file, dir);
                continue;
            }
            deployments.load(artifact, name);
        }
    }

    private void loadAll() {
        if (!Files.isDirectory(dir)) {
            LOG.error("Model store {} is not a folder", dir);
            return;
        }
        List<Path> artifacts;
        try (Stream<Path> files = Files.list(dir)) {
            artifacts = files.filter(ModelArchive::isModel).sorted().toList();
        } catch (IOException e) {
            LOG.error("Cannot list the model store {}: {}", dir, e.getMessage());
            return;
        }
        artifacts.forEach(artifact -> deployments.load(artifact, Optional.empty()));
    }

    /** Accepts {@code digits.mar}, {@code digits} (archive or folder); never a path out of the store. */
    private Path resolve(String file) {
        Path root = dir.toAbsolutePath().normalize();
        for (String candidate : List.of(file, file + ".mar")) {
            Path path = root.resolve(candidate).normalize();
            if (path.startsWith(root) && !path.equals(root) && Files.exists(path) && ModelArchive.isModel(path)) {
                return path;
            }
        }
        return null;
    }
}
