package dev.serval.kernel.archive;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.serval.serving.ArchiveManifest;
import dev.serval.serving.Folders;
import dev.serval.serving.ModelNames;
import dev.serval.serving.ServerVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * torch-model-archiver in Java: gathers a model's files as it does (each at the archive's root,
 * under its own name; a folder given as an extra file contributes its contents) and writes them
 * with a {@link ArchiveManifest} in one of the {@link ArchiveFormat formats}.
 */
public final class ModelArchiver {

    /** Handlers are named services in Serval, never Python files. */
    private static final Pattern HANDLER_NAME = Pattern.compile("[A-Za-z0-9_\\-]+");

    /**
     * What to archive: {@code torch-model-archiver}'s options.
     *
     * @param modelName {@code --model-name}
     * @param version {@code --version}
     * @param serializedFile {@code --serialized-file}: the TorchScript or ONNX file
     * @param handler {@code --handler}: the name of a built-in or deployed handler
     * @param extraFiles {@code --extra-files}: files, or folders whose contents are added
     * @param configFile {@code --config-file}: the {@code model-config.yaml}
     */
    public record Model(
            String modelName,
            String version,
            Path serializedFile,
            String handler,
            List<Path> extraFiles,
            Optional<Path> configFile) {}

    private ModelArchiver() {}

    /**
     * @param model what to archive
     * @param format what to write
     * @param exportDir where to write it; the archive is named after the model
     * @param force whether to replace an archive of the same name
     * @param now the creation time written into the manifest
     * @return the archive written
     * @throws IllegalArgumentException when an input is missing or malformed, saying which
     * @throws IOException when a file cannot be read or the archive written
     */
    public static Path archive(Model model, ArchiveFormat format, Path exportDir, boolean force, LocalDateTime now)
            throws IOException {
        if (!ModelNames.isValid(model.modelName())) {
            throw new IllegalArgumentException("--model-name '" + model.modelName()
                    + "' must match TorchServe's rule for model names: " + ModelNames.RULE);
        }
        if (!HANDLER_NAME.matcher(model.handler()).matches()) {
            throw new IllegalArgumentException(
                    "--handler '" + model.handler() + "' must be a handler's name, such as "
                            + "image_classifier or the serval.handler property of a handler bundle; Serval runs no Python files");
        }
        if (model.version().isBlank()) {
            throw new IllegalArgumentException("--version must not be blank");
        }
        if (!Files.isDirectory(exportDir)) {
            throw new IllegalArgumentException("--export-path " + exportDir + " is not a folder");
        }
        Map<String, Path> files = new TreeMap<>();
        add(files, model.serializedFile(), "--serialized-file");
        if (model.configFile().isPresent()) {
            add(files, model.configFile().get(), "--config-file");
            checkYaml(model.configFile().get());
        }
        for (Path extra : model.extraFiles()) {
            if (Files.isDirectory(extra)) {
                addContents(files, extra);
            } else {
                add(files, extra, "--extra-files");
            }
        }

        Path target = format.target(exportDir, model.modelName());
        if (Files.exists(target)) {
            if (!force) {
                throw new IllegalArgumentException(target + " already exists; use --force to overwrite it");
            }
            if (Files.isDirectory(target)) {
                Folders.deleteTree(target);
            }
        }
        ArchiveManifest manifest = new ArchiveManifest(
                model.modelName(),
                model.version(),
                name(model.serializedFile()),
                model.handler(),
                model.configFile().map(ModelArchiver::name),
                Optional.empty(),
                Optional.empty());
        format.write(target, manifest, files, manifest.toJson(ServerVersion.CURRENT, now));
        return target;
    }

    private static void add(Map<String, Path> files, Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + ": file does not exist: " + file);
        }
        put(files, name(file), file);
    }

    private static void addContents(Map<String, Path> files, Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                put(files, dir.relativize(file).toString().replace('\\', '/'), file);
            }
        }
    }

    private static void put(Map<String, Path> files, String name, Path file) {
        if (name.equals(ArchiveManifest.PATH)) {
            throw new IllegalArgumentException(file + " would replace the archive's own " + ArchiveManifest.PATH);
        }
        Path previous = files.put(name, file);
        if (previous != null
                && !previous.toAbsolutePath()
                        .normalize()
                        .equals(file.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(
                    "Two files would be stored as '" + name + "': " + previous + " and " + file);
        }
    }

    /** A model config the server would refuse should fail now, not at deployment. */
    private static void checkYaml(Path file) {
        try {
            new YAMLMapper().readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "--config-file " + file + " is not a YAML mapping: " + e.getMessage(), e);
        }
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }
}
