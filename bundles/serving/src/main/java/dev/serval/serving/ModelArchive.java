package dev.serval.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * A model artifact made ready to load: a {@code .mar} (zip) extracted safely into the work
 * folder, or a model folder used in place, with its manifest and model config read.
 *
 * @param source the artifact as given: archive file or folder
 * @param dir the folder holding the model files
 * @param manifest the archive's manifest
 * @param config the archive's {@code model-config.yaml}, empty when absent
 */
public record ModelArchive(Path source, Path dir, Manifest manifest, ModelConfig config) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String DEFAULT_CONFIG = "model-config.yaml";

    /**
     * @param artifact a {@code .mar}/{@code .zip} file or a model folder
     * @return whether it looks like a model artifact: an archive by name, a folder by manifest
     */
    public static boolean isModel(Path artifact) {
        if (Files.isDirectory(artifact)) {
            return Files.isRegularFile(artifact.resolve(ArchiveManifest.PATH));
        }
        String name = artifact.getFileName().toString();
        return name.endsWith(".mar") || name.endsWith(".zip");
    }

    /**
     * @param jar a jar of a folder, as Felix FileInstall makes of a folder in its watched folder
     * @return whether the folder was a model folder: the jar has a manifest at its root
     */
    public static boolean isJarOfModelFolder(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry(ArchiveManifest.PATH) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param artifact a {@code .mar}/{@code .zip} file or a model folder
     * @param extractRoot where archives are extracted, each into a new folder
     * @return the prepared archive
     * @throws ModelLoadException when the artifact is not a valid model archive
     */
    public static ModelArchive open(Path artifact, Path extractRoot) throws ModelLoadException {
        Path dir = artifact;
        if (!Files.isDirectory(artifact)) {
            if (!Files.isRegularFile(artifact)) {
                throw new ModelLoadException("Model artifact not found: " + artifact);
            }
            try {
                Files.createDirectories(extractRoot);
                dir = Files.createTempDirectory(
                        extractRoot, artifact.getFileName().toString() + "-");
                SafeUnzip.extract(artifact, dir);
            } catch (IOException e) {
                if (dir != artifact) {
                    Folders.deleteTree(dir);
                }
                throw new ModelLoadException("Cannot extract " + artifact.getFileName() + ": " + e.getMessage(), e);
            }
        }
        try {
            return read(artifact, dir);
        } catch (ModelLoadException e) {
            if (!dir.equals(artifact)) {
                Folders.deleteTree(dir);
            }
            throw e;
        }
    }

    private static ModelArchive read(Path artifact, Path dir) throws ModelLoadException {
        ArchiveManifest manifest = ArchiveManifest.read(dir, JSON);
        checkInArchive(dir, manifest.serializedFile());
        return new ModelArchive(artifact, dir, manifest, readConfig(dir, manifest));
    }

    private static void checkInArchive(Path dir, String serializedFile) throws ModelLoadException {
        Path serialized = dir.resolve(serializedFile).normalize();
        if (!serialized.startsWith(dir) || !Files.isRegularFile(serialized)) {
            throw new ModelLoadException("The manifest's serializedFile is not in the archive: " + serializedFile);
        }
    }

    /**
     * @param serializedFile another model file of the archive, such as the ONNX export beside the
     *     TorchScript one the manifest names
     * @return the archive serving that file instead
     * @throws ModelLoadException when the archive has no such file
     */
    public ModelArchive withSerializedFile(String serializedFile) throws ModelLoadException {
        checkInArchive(dir, serializedFile);
        return new ModelArchive(source, dir, ((ArchiveManifest) manifest).withSerializedFile(serializedFile), config);
    }

    /** Removes the extracted folder of an archive that will not be served. */
    void discard() {
        if (extracted()) {
            Folders.deleteTree(dir);
        }
    }

    private static ModelConfig readConfig(Path dir, Manifest manifest) throws ModelLoadException {
        Path file = dir.resolve(manifest.configFile().orElse(DEFAULT_CONFIG)).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
            if (manifest.configFile().isPresent()) {
                throw new ModelLoadException("The manifest's configFile is not in the archive: "
                        + manifest.configFile().get());
            }
            return ModelConfig.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = YAML.readValue(file.toFile(), Map.class);
            return ModelConfig.of(values);
        } catch (IOException e) {
            throw new ModelLoadException("Malformed " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** @return the archive with its model served under another name */
    ModelArchive withName(String name) {
        return new ModelArchive(source, dir, ((ArchiveManifest) manifest).withName(name), config);
    }

    /** @return the archive served by another handler than its manifest names */
    ModelArchive withHandler(String handler) {
        return new ModelArchive(source, dir, ((ArchiveManifest) manifest).withHandler(handler), config);
    }

    /** @return whether {@link #dir()} was extracted by the server, and is removed with the model */
    private boolean extracted() {
        return !dir.equals(source);
    }
}
