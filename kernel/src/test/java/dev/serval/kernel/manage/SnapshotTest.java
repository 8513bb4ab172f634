package dev.serval.kernel.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.serving.Deadlines;
import dev.serval.serving.ModelLoader;
import dev.serval.serving.ServingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The snapshot as a start after a crash finds it: written whole, and read only when it is one. */
class SnapshotTest {

    @TempDir
    Path dir;

    private final Deadlines deadlines = new Deadlines();

    @AfterEach
    void closeTimer() {
        deadlines.close();
    }

    private Path file() {
        return dir.resolve("work/snapshot.json");
    }

    private ModelManager manager(Snapshot snapshot) {
        return new ModelManager(
                new ModelLoader(dir.resolve("work/models"), ServingSettings.DEFAULTS, Map.of(), deadlines),
                new Catalog(),
                new ModelStore(dir.resolve("store")),
                snapshot);
    }

    @Test
    void savingReplacesTheSnapshotWholeAndLeavesNoTemporaryFile() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"models\": [{\"old\": true}]}");
        Snapshot snapshot = Snapshot.at(file());

        snapshot.save(manager(snapshot));

        assertEquals(
                0, new ObjectMapper().readTree(file().toFile()).get("models").size());
        try (var files = Files.list(file().getParent())) {
            assertEquals(List.of(file()), files.toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "[]", "{}", "7", "{\"models\": {}}", "{\"models\": [{\"url\": \"a.mar\""})
    void aSnapshotThatIsNotOneIsMovedAsideAndNotRestored(String content) throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);
        Snapshot snapshot = Snapshot.at(file());

        assertFalse(snapshot.restore(manager(snapshot)));

        assertFalse(Files.exists(file()));
        assertEquals(content, Files.readString(file().resolveSibling("snapshot.json" + Snapshot.UNREADABLE_SUFFIX)));
    }

    @Test
    void anEmptyListIsASnapshotOfNoModels() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"models\": []}");
        Snapshot snapshot = Snapshot.at(file());

        assertTrue(snapshot.restore(manager(snapshot)));
    }

    @Test
    void aModelWhoseArchiveIsGoneOrWhoseNameIsInvalidIsSkippedWithItsDefaultVersion() throws Exception {
        // bad.mar is there, so that only its name is wrong; its content is never read.
        Files.write(Files.createDirectories(dir.resolve("store")).resolve("bad.mar"), new byte[0]);
        Files.createDirectories(file().getParent());
        Files.writeString(file(), """
                {"models": [{"url": "gone.mar", "modelName": "gone", "modelVersion": "1.0", "default": true},
                            {"url": "bad.mar", "modelName": "../bad", "modelVersion": "1.0", "default": true}]}
                """);
        Snapshot snapshot = Snapshot.at(file());
        ModelManager manager = manager(snapshot);

        assertTrue(snapshot.restore(manager));

        assertEquals(List.of(), manager.list(100, 0).models());
        assertEquals(
                0, new ObjectMapper().readTree(file().toFile()).get("models").size());
    }
}
