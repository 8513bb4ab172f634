package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/serval dev} on a handler project and a model folder: a jar appearing in the
 * project's target/ serves, a rebuilt jar restarts the workers on the new bundle, an edited model
 * folder serves its new version; each within a few seconds, without a restart.
 */
class DevLoopIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LIVE_WITHIN_MS = 5_000;
    private static final String SERVING = "is serving with handler 'digits_preview'";

    @TempDir
    Path root;

    @Test
    void buildsAndEditsGoLiveWithoutARestart() throws Exception {
        Path target = Files.createDirectories(root.resolve("my-handler/target"));
        Path models = Files.createDirectories(root.resolve("models"));
        ServerProcess.run("archive", "--model-name", "live", "--version", "1.0",
                "--serialized-file", Archives.DIGITS.resolve("convnet_digits.pt").toString(),
                "--handler", "digits_preview", "--config-file", Archives.DIGITS.resolve("model-config.yaml").toString(),
                "--format", "folder", "--export-path", models.toString());
        Path model = models.resolve("live");
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        Path jar = target.resolve("my-handler-1.0.jar");

        try (ServerProcess server = ServerProcess.start(root, Files.createDirectories(root.resolve("store")),
                List.of("--handler-project", target.getParent().toString(), "--model", model.toString()))) {
            long start = System.nanoTime();
            Files.copy(Path.of(System.getProperty("serval.examples", "target/example-bundles"),
                    "digits-preview-handler.jar"), jar);
            long built = ServerProcess.waitFor(() -> server.predict("/predictions/live", digit, "POST").statusCode() == 200);
            report("first build", built);
            assertEquals("5", JSON.readTree(server.predict("/predictions/live", digit, "POST").body()).get("digit").asText());

            long servingBefore = count(server.log(), SERVING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 1_000));
            long rebuilt = ServerProcess.waitFor(() -> count(server.log(), SERVING) > servingBefore);
            report("rebuilt jar", rebuilt);
            assertEquals(200, server.predict("/predictions/live", digit, "POST").statusCode());

            Path manifest = model.resolve("MAR-INF/MANIFEST.json");
            Files.writeString(manifest, Files.readString(manifest).replace("\"1.0\"", "\"2.0\""));
            long edited = ServerProcess.waitFor(() -> version(server).equals("2.0"));
            report("edited model", edited);
            assertEquals(200, server.predict("/predictions/live", digit, "POST").statusCode());

            assertTrue(built <= LIVE_WITHIN_MS && rebuilt <= LIVE_WITHIN_MS && edited <= LIVE_WITHIN_MS,
                    "live after " + built + ", " + rebuilt + " and " + edited + " ms");
            System.out.printf("DevLoopIT: all three live %d ms after the first jar appeared%n",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static String version(ServerProcess server) throws Exception {
        return JSON.readTree(server.get(server.managementPort, "/models/live").body()).path(0).path("modelVersion").asText();
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }

    private static void report(String change, long millis) {
        System.out.printf("DevLoopIT: %s live after %d ms%n", change, millis);
    }
}
