package dev.serval.kernel.deploy;

import dev.serval.kernel.model.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The model store folder: where {@code load_models} entries and register calls' {@code url}s are
 * looked up, by archive or folder name and never outside it.
 */
public final class ModelStore {

    private final Path dir;

    /** @param dir the model store folder */
    public ModelStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** @return the folder */
    public Path dir() {
        return dir;
    }

    /**
     * @param name {@code digits.mar}, or {@code digits} for an archive or a folder of that name
     * @return the archive or folder, when it is directly in the store
     */
    public Optional<Path> resolve(String name) {
        for (String candidate : List.of(name, name + ".mar")) {
            Path path = dir.resolve(candidate).normalize();
            if (path.getParent() != null && path.getParent().equals(dir) && Files.exists(path)
                    && ModelArchive.isModel(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /**
     * @return every archive and model folder in the store, by name
     * @throws IOException when the store cannot be listed
     */
    public List<Path> all() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Model store " + dir + " is not a folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(ModelArchive::isModel).sorted().toList();
        }
    }
}
