package dev.serval.kernel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

/** Which of several builds of one bundle serves, decided from the files alone. */
class BundleBuildTest {

    @TempDir
    Path dir;

    @Test
    void theHighestVersionWinsWhateverTheFilesAges() {
        assertNewest(build("a.jar", "1.0.1", 1_000), build("b.jar", "1.0.0", 9_000));
        // Versions compare as numbers, not as text.
        assertNewest(build("c.jar", "1.10.0", 0), build("d.jar", "1.9.0", 0));
    }

    @Test
    void ofEqualVersionsTheFileWrittenLastWinsThenTheGreatestName() {
        assertNewest(build("a.jar", "1.0.0", 2_000), build("z.jar", "1.0.0", 1_000));
        assertNewest(build("b.jar", "1.0.0", 5_000), build("a.jar", "1.0.0", 5_000));
        assertTrue(BundleBuild.newest(List.of()).isEmpty());
    }

    @Test
    void buildsAreReadFromTheJarsManifestsAndOtherFilesAreNone() throws Exception {
        Path one = BundleJars.write(dir.resolve("one.jar"), "my.handler;singleton:=true", "2.0.0.SNAPSHOT", 3_000);
        BundleJars.write(dir.resolve("two.jar"), "my.handler", null, 4_000);
        BundleJars.write(dir.resolve("other.jar"), "other.handler", "9.0.0", 5_000);
        Files.writeString(dir.resolve("half.jar"), "still being written");
        Files.writeString(dir.resolve("model.mar"), "not a jar");

        assertEquals(
                new BundleBuild(one, "my.handler", Version.parseVersion("2.0.0.SNAPSHOT"), 3_000),
                BundleBuild.read(one).orElseThrow());
        assertTrue(BundleBuild.read(dir.resolve("half.jar")).isEmpty());
        List<BundleBuild> mine = BundleBuild.in(dir, "my.handler").toList();
        assertEquals(2, mine.size(), mine.toString());
        assertEquals(
                "one.jar (2.0.0.SNAPSHOT)",
                BundleBuild.newest(mine).orElseThrow().toString());
        assertEquals(
                Version.emptyVersion,
                BundleBuild.read(dir.resolve("two.jar")).orElseThrow().version());
    }

    /** Asserts that the newest is the same whichever is listed first, as at every start. */
    private static void assertNewest(BundleBuild newest, BundleBuild other) {
        assertEquals(newest, BundleBuild.newest(List.of(newest, other)).orElseThrow());
        assertEquals(newest, BundleBuild.newest(List.of(other, newest)).orElseThrow());
    }

    private BundleBuild build(String file, String version, long lastModified) {
        return new BundleBuild(dir.resolve(file), "my.handler", Version.parseVersion(version), lastModified);
    }
}
