package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's data folder: where it is, and the examples a new one's model store starts with. */
class BaseFolderTest {

    private static final Path USER_HOME = Path.of("/home/user");

    @Test
    void optionWinsOverTheVariableWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of(BaseFolder.ENV, "/srv/serval");
        assertEquals(
                Path.of("/data"),
                BaseFolder.resolve(Path.of("/data"), env, USER_HOME).path());
        assertEquals(
                Path.of("/srv/serval"), BaseFolder.resolve(null, env, USER_HOME).path());
        assertEquals(
                Path.of("/home/user/.serval"),
                BaseFolder.resolve(null, Map.of(), USER_HOME).path());
        assertEquals(
                Path.of("/home/user/.serval"),
                BaseFolder.resolve(null, Map.of(BaseFolder.ENV, " "), USER_HOME).path());
    }

    @Test
    void theDataFoldersAreInTheBaseAndTheBundlesInTheInstallation(@TempDir Path dir) {
        Path home = dir.resolve("home");
        ServerConfig config = ServerConfig.defaults(home, dir.resolve("base")).build();
        assertEquals(dir.resolve("base/model-store"), config.modelStore());
        assertEquals(dir.resolve("base/deploy"), config.deployDir());
        assertEquals(dir.resolve("base/work"), config.workDir());
        assertEquals(dir.resolve("base/work/cache"), config.cacheDir());
        assertEquals(home.resolve("bundles"), config.bundlesDir());
    }

    @Test
    void aNewModelStoreGetsTheExamplesOnceAndKeepsWhatTheUserDeleted(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/model-store"));
        Files.writeString(home.resolve("digits.mar"), "example");
        BaseFolder base = new BaseFolder(dir.resolve("base"));

        base.seedModelStore(base.modelStore(), dir.resolve("home"));
        assertEquals("example", Files.readString(base.modelStore().resolve("digits.mar")));

        Files.delete(base.modelStore().resolve("digits.mar"));
        base.seedModelStore(base.modelStore(), dir.resolve("home"));
        assertFalse(Files.exists(base.modelStore().resolve("digits.mar")));
        try (var left = Files.list(base.path())) {
            assertEquals(1, left.count(), "nothing left beside the store");
        }
    }

    @Test
    void aModelStoreOfTheUsersChoiceIsNotFilled(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/model-store"));
        Files.writeString(home.resolve("digits.mar"), "example");
        BaseFolder base = new BaseFolder(dir.resolve("base"));

        base.seedModelStore(dir.resolve("mine"), dir.resolve("home"));
        assertFalse(Files.exists(dir.resolve("mine")));
        assertFalse(Files.exists(base.modelStore()));
        assertTrue(Files.exists(home.resolve("digits.mar")));
    }
}
