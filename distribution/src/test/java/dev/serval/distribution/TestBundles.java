package dev.serval.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.BundleActivator;

/** Bundle jars made by the tests: one activator class of the test classes and a manifest. */
final class TestBundles {

    private TestBundles() {}

    /**
     * @param jar where to write it
     * @param symbolicName its {@code Bundle-SymbolicName}
     * @param version its {@code Bundle-Version}
     * @param activator its {@code Bundle-Activator}, the only class it holds
     * @param imports its {@code Import-Package}
     * @param headers more manifest headers
     * @return the jar
     * @throws IOException when it cannot be written
     */
    static Path write(
            Path jar,
            String symbolicName,
            String version,
            Class<? extends BundleActivator> activator,
            String imports,
            Map<String, String> headers)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Activator", activator.getName());
        main.putValue("Import-Package", imports);
        headers.forEach(main::putValue);
        String entry = activator.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream code = activator.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            code.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
