package dev.serval.kernel.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * One build of a bundle in the deploy folder: its jar, symbolic name, version and when the file
 * was last written. Of several builds of one symbolic name exactly one serves, the
 * {@linkplain #newest newest}: the highest {@code Bundle-Version}, and of equal versions the file
 * written last (then, so that every start decides alike, the greatest file name).
 *
 * @param file the jar
 * @param symbolicName its {@code Bundle-SymbolicName}, without directives
 * @param version its {@code Bundle-Version}, {@code 0.0.0} when it has none
 * @param lastModified the file's modification time, in milliseconds
 */
public record BundleBuild(Path file, String symbolicName, Version version, long lastModified) {

    /** Newest last. */
    public static final Comparator<BundleBuild> AGE = Comparator.comparing(BundleBuild::version)
            .thenComparingLong(BundleBuild::lastModified)
            .thenComparing(build -> build.file().getFileName().toString());

    /**
     * @param jar a file
     * @return its build, or empty when it is not a readable bundle jar (not one, or one still
     *     being written)
     */
    public static Optional<BundleBuild> read(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main =
                    file.getManifest() == null ? null : file.getManifest().getMainAttributes();
            String name = main == null ? null : main.getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null || name.isBlank()) {
                return Optional.empty();
            }
            String version = main.getValue(Constants.BUNDLE_VERSION);
            return Optional.of(new BundleBuild(
                    jar,
                    name.split(";", 2)[0].trim(),
                    version == null ? Version.emptyVersion : Version.parseVersion(version.trim()),
                    Files.getLastModifiedTime(jar).toMillis()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * @param folder a folder, such as the deploy folder
     * @param symbolicName a bundle's symbolic name
     * @return the builds of that bundle among the folder's jars (not its subfolders')
     * @throws IOException when the folder cannot be listed
     */
    public static Stream<BundleBuild> in(Path folder, String symbolicName) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).toList().stream()
                    .flatMap(file -> read(file).stream())
                    .filter(build -> build.symbolicName().equals(symbolicName));
        }
    }

    /**
     * @param builds builds of one bundle
     * @return the one that serves
     */
    public static Optional<BundleBuild> newest(Collection<BundleBuild> builds) {
        return builds.stream().max(AGE);
    }

    /** @return the file's name and the version, as log lines name a build */
    @Override
    public String toString() {
        return file.getFileName() + " (" + version + ")";
    }
}
