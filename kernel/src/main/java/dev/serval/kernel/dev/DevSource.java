package dev.serval.kernel.dev;

import dev.serval.kernel.api.BundleBuild;
import dev.serval.kernel.archive.ArchiveWriter;
import dev.serval.serving.ArchiveManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Something {@code serval dev} watches: a handler project, whose newest bundle jar in
 * {@code target/} is copied to the deploy folder, or a model folder, zipped into a {@code .mar}
 * there. Each is published under one name, so every rebuild replaces the previous one, and
 * {@linkplain #retire retired} when {@code serval dev} stops.
 */
abstract class DevSource {

    final Path path;
    final Path target;
    private String published = "";
    private String lastSeen = "";

    private DevSource(Path path, Path target) {
        this.path = path;
        this.target = target;
    }

    static DevSource handlerProject(Path project, Path deployDir) {
        if (!Files.isDirectory(project)) {
            throw new IllegalArgumentException("--handler-project " + project + " is not a folder");
        }
        return new DevSource(project, deployDir.resolve(project.getFileName() + ".jar")) {
            @Override
            String fingerprint() throws IOException {
                return jar().map(DevSource::stamp).orElse("");
            }

            @Override
            void write(Path temp) throws IOException {
                Files.copy(
                        jar().orElseThrow(() -> new IOException("no jar in " + path.resolve("target"))),
                        temp,
                        StandardCopyOption.REPLACE_EXISTING);
            }

            /** @return the jar of deploy/ from before whose bundle's newest build this one superseded */
            @Override
            Optional<Path> superseded(Set<Path> before) throws IOException {
                Optional<BundleBuild> mine = BundleBuild.read(target);
                if (mine.isEmpty()) {
                    return Optional.empty();
                }
                Optional<BundleBuild> previous = BundleBuild.newest(
                        BundleBuild.in(target.getParent(), mine.get().symbolicName())
                                .filter(build -> before.contains(build.file()))
                                .toList());
                return previous.filter(build -> BundleBuild.AGE.compare(mine.get(), build) > 0)
                        .map(BundleBuild::file);
            }

            /** The bundle Maven built: the newest jar that is not sources, javadoc or tests. */
            private Optional<Path> jar() throws IOException {
                Path dir = path.resolve("target");
                if (!Files.isDirectory(dir)) {
                    return Optional.empty();
                }
                try (Stream<Path> files = Files.list(dir)) {
                    return files.filter(f -> f.toString().endsWith(".jar"))
                            .filter(f -> !f.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                            .max((a, b) -> Long.compare(
                                    a.toFile().lastModified(), b.toFile().lastModified()));
                }
            }
        };
    }

    static DevSource modelFolder(Path folder, Path deployDir) {
        if (!Files.isRegularFile(folder.resolve(ArchiveManifest.PATH))) {
            throw new IllegalArgumentException("--model " + folder + " has no " + ArchiveManifest.PATH
                    + "; make one with: serval archive --format folder ...");
        }
        return new DevSource(folder, deployDir.resolve(folder.getFileName() + ".mar")) {
            @Override
            String fingerprint() throws IOException {
                StringBuilder stamp = new StringBuilder();
                files().forEach((name, file) ->
                        stamp.append(name).append(stamp(file)).append(';'));
                return stamp.toString();
            }

            @Override
            void write(Path temp) throws IOException {
                ArchiveWriter.zip(temp, null, files(), Map.of());
            }

            private Map<String, Path> files() throws IOException {
                try (Stream<Path> walk = Files.walk(path)) {
                    Map<String, Path> files = new TreeMap<>();
                    for (Path file : walk.filter(Files::isRegularFile).toList()) {
                        files.put(path.relativize(file).toString().replace('\\', '/'), file);
                    }
                    return files;
                }
            }
        };
    }

    /** @return what identifies the source's current state; empty when there is nothing to publish */
    abstract String fingerprint() throws IOException;

    /** Writes what to publish into a temporary file. */
    abstract void write(Path temp) throws IOException;

    /** @return whether the source differs from what was published and did not change since the last poll */
    boolean changedAndSettled() throws IOException {
        String now = fingerprint();
        boolean settled = now.equals(lastSeen);
        lastSeen = now;
        return settled && !now.isEmpty() && !now.equals(published);
    }

    /** @return whether {@link #publish} wrote into the deploy folder */
    boolean hasPublished() {
        return !published.isEmpty();
    }

    /** @return the file written into the deploy folder */
    Path publish() throws IOException {
        // Written beside the target and moved over it: the deploy folder never holds half a file.
        Path temp = target.resolveSibling("." + target.getFileName() + ".dev");
        try {
            write(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        published = lastSeen;
        return target;
    }

    /**
     * Takes out of the deploy folder what {@link #publish} added, once the server has stopped, so
     * that a plain start does not serve a dev build by accident. A file that was there before is
     * left, with the newest build in it; so is the newest build of a bundle whose older build was
     * there before: it goes into that build's file, and a restart serves it.
     *
     * @param before the deploy folder's files before {@code serval dev} started
     * @return where the published build was left, or empty when it was removed
     * @throws IOException when the file cannot be moved or deleted
     */
    Optional<Path> retire(Set<Path> before) throws IOException {
        if (!Files.exists(target)) {
            return Optional.empty();
        }
        if (before.contains(target)) {
            return Optional.of(target);
        }
        Optional<Path> superseded = superseded(before);
        if (superseded.isPresent()) {
            Files.move(target, superseded.get(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(target);
        }
        return superseded;
    }

    /**
     * @param before the deploy folder's files before {@code serval dev} started
     * @return the file among them holding an older build of what was published, if any
     * @throws IOException when the deploy folder cannot be read
     */
    Optional<Path> superseded(Set<Path> before) throws IOException {
        return Optional.empty();
    }

    private static String stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return file.getFileName() + "@" + attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
