package dev.serval.kernel.osgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The packages of the kernel's class path that bundles may import through the system bundle
 * ({@code org.osgi.framework.system.packages.extra}).
 *
 * <p>Each is taken from the jar holding an anchor class. A jar that is a bundle (the SDK,
 * Jackson, SLF4J) is exported as its own {@code Export-Package} header says, versions included,
 * so bnd-built handlers resolve their version ranges. A plain jar (DJL's) has every package
 * exported at the jar's implementation version, else at its specification version (DJL's jars
 * give only that): bundles import DJL at a range of its minor version.
 */
public final class HostPackages {

    private HostPackages() {}

    /**
     * @param anchors one class from each jar to export
     * @return the packages in the syntax of {@code Export-Package}
     */
    public static String exportsOf(List<Class<?>> anchors) {
        Map<String, String> packages = new TreeMap<>();
        for (Class<?> anchor : anchors) {
            packages.putAll(packagesOf(anchor));
        }
        List<String> clauses = new ArrayList<>();
        packages.forEach(
                (name, version) -> clauses.add(version == null ? name : name + ";version=\"" + version + "\""));
        return String.join(",", clauses);
    }

    static Map<String, String> packagesOf(Class<?> anchor) {
        Path location;
        try {
            location = Path.of(
                    anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the jar of " + anchor.getName(), e);
        }
        try {
            return Files.isDirectory(location) ? fromDirectory(location) : fromJar(location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + location, e);
        }
    }

    private static Map<String, String> fromJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
            String exportHeader = main.getValue("Export-Package");
            if (exportHeader != null) {
                return ExportHeader.parse(exportHeader);
            }
            String version = osgiVersion(Objects.requireNonNullElse(
                    main.getValue("Implementation-Version"), main.getValue("Specification-Version")));
            Map<String, String> packages = new TreeMap<>();
            file.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && name.indexOf('/') > 0 && !name.startsWith("META-INF/"))
                    .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                    .forEach(pkg -> packages.put(pkg, version));
            return packages;
        }
    }

    /** In a development build the SDK is a folder of classes with bnd's manifest beside them. */
    private static Map<String, String> fromDirectory(Path classes) throws IOException {
        Path manifestFile = classes.resolve("META-INF/MANIFEST.MF");
        if (!Files.exists(manifestFile)) {
            throw new IllegalStateException("No bundle manifest in " + classes);
        }
        try (var in = Files.newInputStream(manifestFile)) {
            String header = new Manifest(in).getMainAttributes().getValue("Export-Package");
            return header == null ? Map.of() : ExportHeader.parse(header);
        }
    }

    /** Maven versions such as {@code 0.35.1} are valid OSGi versions; qualifiers are dropped. */
    static String osgiVersion(String implementationVersion) {
        if (implementationVersion == null) {
            return null;
        }
        String[] parts = implementationVersion.split("[.-]");
        List<String> numbers = new ArrayList<>();
        for (String part : parts) {
            if (numbers.size() == 3 || !part.matches("\\d+")) {
                break;
            }
            numbers.add(part);
        }
        return numbers.isEmpty() ? null : String.join(".", numbers);
    }
}
