package dev.serval.kernel.archive;

import dev.serval.kernel.deploy.ModelBundles;
import dev.serval.serving.ArchiveManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.osgi.framework.Version;

/** What {@code serval archive} makes of a model's files. */
public enum ArchiveFormat {

    /** TorchServe's {@code .mar}: a zip with the files at its root and {@code MAR-INF/MANIFEST.json}. */
    MAR(".mar") {
        @Override
        void write(Path target, ArchiveManifest manifest, Map<String, Path> files, byte[] json) throws IOException {
            ArchiveWriter.zip(target, null, files, Map.of(ArchiveManifest.PATH, json));
        }
    },

    /**
     * A model bundle: the same files under {@code model/} in an OSGi bundle whose
     * {@value ModelBundles#HEADER} header names that folder.
     */
    BUNDLE(".jar") {
        private static final String FOLDER = "model/";

        @Override
        void write(Path target, ArchiveManifest manifest, Map<String, Path> files, byte[] json) throws IOException {
            Map<String, Path> inFolder = new LinkedHashMap<>();
            files.forEach((name, file) -> inFolder.put(FOLDER + name, file));
            ArchiveWriter.zip(target, bundleManifest(manifest), inFolder, Map.of(FOLDER + ArchiveManifest.PATH, json));
        }

        private static Manifest bundleManifest(ArchiveManifest manifest) {
            Version version;
            try {
                version = Version.parseVersion(manifest.modelVersion());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--version " + manifest.modelVersion()
                                + " is not a bundle version (numbers such as 1.0 or 2.1.3); use --format mar",
                        e);
            }
            Manifest jar = new Manifest();
            Attributes main = jar.getMainAttributes();
            main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            main.putValue("Bundle-ManifestVersion", "2");
            main.putValue("Bundle-SymbolicName", "serval.model." + manifest.modelName());
            main.putValue("Bundle-Version", version.toString());
            main.putValue(ModelBundles.HEADER, FOLDER);
            return jar;
        }
    },

    /** The files in a folder of their own, as TorchServe's {@code no-archive} format. */
    FOLDER("") {
        @Override
        void write(Path target, ArchiveManifest manifest, Map<String, Path> files, byte[] json) throws IOException {
            ArchiveWriter.folder(target, files, Map.of(ArchiveManifest.PATH, json));
        }
    };

    private final String extension;

    ArchiveFormat(String extension) {
        this.extension = extension;
    }

    /**
     * @param exportDir the folder to write into
     * @param modelName the model's name, which names the archive
     * @return the archive's path
     */
    Path target(Path exportDir, String modelName) {
        return exportDir.resolve(modelName + extension);
    }

    abstract void write(Path target, ArchiveManifest manifest, Map<String, Path> files, byte[] json) throws IOException;
}
