package dev.serval.kernel.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundle jars holding only a manifest, for the tests of what decides between builds. */
public final class BundleJars {

    private BundleJars() {}

    /**
     * @param jar where to write it
     * @param symbolicName its {@code Bundle-SymbolicName}
     * @param version its {@code Bundle-Version}, or {@code null} for none
     * @param lastModified its modification time, in milliseconds
     * @return the jar
     * @throws IOException when it cannot be written
     */
    public static Path write(Path jar, String symbolicName, String version, long lastModified) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        if (version != null) {
            main.putValue("Bundle-Version", version);
        }
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(lastModified));
        return jar;
    }
}
