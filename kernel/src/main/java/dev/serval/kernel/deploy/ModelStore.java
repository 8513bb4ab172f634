package dev.serval.kernel.deploy;

import dev.serval.serving.ModelArchive;
import dev.serval.serving.ServingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model store folder: where {@code load_models} entries and register calls' {@code url}s are
 * looked up, by archive or folder name and never outside it; and the {@code file://} URLs that
 * {@code allowed_urls} lets register calls name besides.
 */
public final class ModelStore {

    private final Path dir;
    private final AllowedUrls allowedUrls;

    /** @param dir the model store folder; no URL is allowed besides */
    public ModelStore(Path dir) {
        this(dir, List.of());
    }

    /**
     * @param dir the model store folder
     * @param allowedUrls the {@code allowed_urls} patterns
     */
    public ModelStore(Path dir, List<Pattern> allowedUrls) {
        this.dir = dir.toAbsolutePath().normalize();
        this.allowedUrls = new AllowedUrls(allowedUrls);
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
            if (path.getParent() != null
                    && path.getParent().equals(dir)
                    && Files.exists(path)
                    && ModelArchive.isModel(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /**
     * @param url a register call's {@code url}: a name in the store, or a URL {@code allowed_urls} allows
     * @return the archive or folder
     * @throws ServingException 400 for a URL that is not allowed, 404 when there is no such model
     */
    public Path locate(String url) {
        if (url.contains(":")) {
            return allowedUrls.resolve(url);
        }
        return resolve(url)
                .orElseThrow(() -> new ServingException(
                        404, "ModelNotFoundException", "Model archive " + url + " is not in the model store"));
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
