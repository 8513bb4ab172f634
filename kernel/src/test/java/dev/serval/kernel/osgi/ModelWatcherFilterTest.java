package dev.serval.kernel.osgi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The model watcher's filter, as FileInstall applies it: to names in the deploy folder when it
 * polls, and to paths relative to the deploy folder (a model folder's files among them) when it
 * follows the file system's events.
 */
class ModelWatcherFilterTest {

    private static final Pattern NAMES = Pattern.compile(EmbeddedFramework.MODELS);
    private static final PathMatcher PATHS =
            FileSystems.getDefault().getPathMatcher("regex:" + EmbeddedFramework.MODELS);

    private static boolean watched(String relative) {
        boolean byName = relative.contains("/") || NAMES.matcher(relative).matches();
        return byName && PATHS.matches(Path.of(relative));
    }

    @Test
    void archivesAndFoldersWithTheirFilesAreWatched() {
        assertTrue(watched("digits.mar"));
        assertTrue(watched("digits.zip"));
        assertTrue(watched("resnet-1.0"));
        assertTrue(watched("resnet-1.0/MAR-INF/MANIFEST.json"));
        assertTrue(watched("folded/lib/helper.jar"), "a jar inside a model folder is the model's");
    }

    @Test
    void bundleJarsAreLeftToTheJarWatcher() {
        assertFalse(watched("handler.jar"));
        assertFalse(NAMES.matcher("handler.jar").matches());
    }

    @Test
    void hiddenFilesAreNotWatched() {
        assertFalse(watched(".digits.mar.dev"), "serval dev's file being written");
    }

    @Test
    void configurationFilesAreNeverTakenAsConfigurations() {
        assertFalse(watched("org.apache.felix.fileinstall-evil.cfg"));
        assertFalse(watched("anything.config"));
    }
}
