package dev.serval.distribution;

import static dev.serval.distribution.ServerProcess.assertRefusedInOneLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, part 4: neither a second start nor a crash breaks a server's configuration or work
 * folder. A second server on the same config, work folder or ports exits in one line, leaving the
 * first one's key file, snapshot and clients alone; a bad value is refused at start naming its key;
 * a snapshot that is unreadable or names an archive gone from the model store does not stop a
 * restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkFolderIT {

    @TempDir
    static Path root;

    private static Path store;
    private static ServerProcess server;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("digits2.mar"), "digits2", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** The first server's files are as they were and its clients, with their keys, are served. */
    private static void assertFirstServerUntouched(byte[] keyFile, byte[] snapshot) throws Exception {
        assertArrayEquals(keyFile, Files.readAllBytes(server.keyFile));
        assertArrayEquals(snapshot, Files.readAllBytes(server.workDir.resolve("snapshot.json")));
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(200, server.get(server.managementPort, "/models").statusCode());
    }

    @Test
    @Order(1)
    void aSecondServerOnTheSameConfigExitsInOneLineAndTheFirstKeepsServing() throws Exception {
        byte[] keyFile = Files.readAllBytes(server.keyFile);
        byte[] snapshot = Files.readAllBytes(server.workDir.resolve("snapshot.json"));

        ServerProcess.Exit exit = server.another(server.config, server.workDir);

        assertRefusedInOneLine(exit, "is in use by another server (pid ");
        assertFirstServerUntouched(keyFile, snapshot);
    }

    @Test
    @Order(2)
    void aSecondServerOnTheSameWorkFolderWithOtherPortsIsRefused() throws Exception {
        byte[] keyFile = Files.readAllBytes(server.keyFile);
        byte[] snapshot = Files.readAllBytes(server.workDir.resolve("snapshot.json"));
        Path other = Files.writeString(
                root.resolve("other-ports.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:0",
                        "management_address=http://127.0.0.1:0",
                        "metrics_address=http://127.0.0.1:0",
                        "model_store=" + store,
                        "load_models=all",
                        ""));

        ServerProcess.Exit exit = server.another(other, server.workDir);

        assertRefusedInOneLine(exit, "Work folder " + server.workDir + " is in use by another server (pid ");
        assertFirstServerUntouched(keyFile, snapshot);
    }

    @Test
    @Order(3)
    void aPortInUseIsOneLineBeforeAnythingIsWrittenOrLoaded() throws Exception {
        Path work = root.resolve("work-of-another");

        ServerProcess.Exit exit = server.another(server.config, work);

        assertRefusedInOneLine(
                exit,
                "inference_address http://127.0.0.1:" + server.inferencePort
                        + " cannot be listened on: Address already in use");
        assertFalse(exit.output().contains("Loaded model"), exit.output());
        assertFalse(Files.exists(work.resolve("key_file.json")));
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
    }

    @Test
    @Order(4)
    void aValueThatLeavesTheServerUselessIsOneLineNamingTheKey() throws Exception {
        Path bad = Files.writeString(root.resolve("bad.properties"), "token_expiration_min=0\n");

        ServerProcess.Exit exit = server.another(bad, root.resolve("work-of-a-bad-config"));

        assertRefusedInOneLine(exit, "config.properties: token_expiration_min: must be more than 0");
    }

    @Test
    @Order(5)
    void aSnapshotNamingAnArchiveGoneFromTheModelStoreSkipsThatModelOnly() throws Exception {
        server.close();
        Files.delete(store.resolve("digits2.mar"));

        server = ServerProcess.start(root, store);

        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(404, server.predict("/predictions/digits2", png, "PUT").statusCode());
    }

    @Test
    @Order(6)
    void anUnreadableSnapshotIsKeptAsideAndLoadModelsLoaded() throws Exception {
        // What a crash or a hand edit can leave: nothing, JSON null, JSON that is not an object.
        for (String content : List.of("", "null", "[]")) {
            server.close();
            Path snapshot = server.workDir.resolve("snapshot.json");
            Files.writeString(snapshot, content);

            server = ServerProcess.start(root, store);

            assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode(), "snapshot " + content);
            assertEquals(content, Files.readString(snapshot.resolveSibling("snapshot.json.unreadable")));
        }
    }
}
