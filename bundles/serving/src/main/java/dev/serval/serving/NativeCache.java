package dev.serval.serving;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a JVM without a server's work folder (an application embedding a model, a handler's unit
 * tests) has {@link Engines} unpack the engines' native libraries: about 430 MB, unpacked once and
 * shared by every such JVM of the user.
 */
public final class NativeCache {

    /** The system property naming the folder, instead of {@code ~/.cache/serval}. */
    public static final String PROPERTY = "serval.cache.dir";

    private NativeCache() {}

    /** @return the folder the system property {@value #PROPERTY} names, else {@code ~/.cache/serval} */
    public static Path folder() {
        return Optional.ofNullable(System.getProperty(PROPERTY))
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "serval"))
                .toAbsolutePath();
    }
}
