package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/serval dev} on a handler project and a model folder: a jar appearing in the
 * project's target/ serves, a rebuilt jar restarts the workers on the new bundle, an edited model
 * folder serves its new version; each within a few seconds, without a restart. Stopped, it takes
 * out of deploy/ what it added, and a restart serves the newest build.
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
        Archives.archive(
                models,
                "live",
                "1.0",
                "convnet_digits.pt",
                "digits_preview",
                "--config-file",
                Archives.DIGITS.resolve("model-config.yaml").toString(),
                "--format",
                "folder");
        Path model = models.resolve("live");
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        Path jar = target.resolve("my-handler-1.0.jar");

        try (ServerProcess server = ServerProcess.start(
                root,
                Files.createDirectories(root.resolve("store")),
                List.of("--handler-project", target.getParent().toString(), "--model", model.toString()))) {
            long start = System.nanoTime();
            Files.copy(
                    Path.of(
                            System.getProperty("serval.examples", "target/example-bundles"),
                            "digits-preview-handler.jar"),
                    jar);
            long built = ServerProcess.waitFor(
                    () -> server.predict("/predictions/live", digit, "POST").statusCode() == 200);
            report("first build", built);
            assertEquals(
                    "5",
                    JSON.readTree(server.predict("/predictions/live", digit, "POST")
                                    .body())
                            .get("digit")
                            .asText());

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

            assertTrue(
                    built <= LIVE_WITHIN_MS && rebuilt <= LIVE_WITHIN_MS && edited <= LIVE_WITHIN_MS,
                    "live after " + built + ", " + rebuilt + " and " + edited + " ms");
            System.out.printf(
                    "DevLoopIT: all three live %d ms after the first jar appeared%n",
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void aStoppedSessionLeavesTheDeployFolderAsItWasButServingTheNewestBuild() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path store = Files.createDirectories(root.resolve("store"));
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        // Before dev: a model and an older build of its handler, copied into deploy/ by hand.
        Archives.digits(deploy.resolve("reporter.mar"), "reporter", "1.0", "convnet_digits.pt", BuildReporter.NAME);
        Path byHand = BuildReporter.jar(deploy.resolve("reporter-1.0.0.jar"), "1.0.0", "by hand");
        Files.setLastModifiedTime(byHand, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Set<Path> before = files(deploy);
        Path project = Files.createDirectories(root.resolve("reporter-handler/target"));
        BuildReporter.jar(project.resolve("reporter-handler-1.0.0.jar"), "1.0.0", "dev");
        Path models = Files.createDirectories(root.resolve("models"));
        Archives.archive(models, "live", "1.0", "convnet_digits.pt", BuildReporter.NAME, "--format", "folder");

        try (ServerProcess server = ServerProcess.start(
                root,
                store,
                List.of(
                        "--handler-project",
                        project.getParent().toString(),
                        "--model",
                        models.resolve("live").toString()))) {
            BundleBuildsIT.awaitBuild(server, digit, "dev");
            ServerProcess.waitFor(
                    () -> server.predict("/predictions/live", digit, "POST").statusCode() == 200);
            assertEquals(List.of("1.0.0"), BundleBuildsIT.installed(root), "dev's build replaced the older one");
        }
        assertEquals(before, files(deploy), "what dev added is gone, what was there is left");
        try (JarFile jar = new JarFile(byHand.toFile())) {
            assertEquals(
                    "dev",
                    jar.getManifest().getMainAttributes().getValue(BuildReporter.BUILD),
                    "the file of the build dev superseded holds the newest build");
        }

        try (ServerProcess server = ServerProcess.start(root, store)) {
            BundleBuildsIT.awaitBuild(server, digit, "dev");
            assertEquals(404, server.predict("/predictions/live", digit, "POST").statusCode(), "dev's model is gone");
            assertEquals(List.of("1.0.0"), BundleBuildsIT.installed(root));
        }
    }

    private static Set<Path> files(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.collect(Collectors.toSet());
        }
    }

    private static String version(ServerProcess server) throws Exception {
        return JSON.readTree(server.get(server.managementPort, "/models/live").body())
                .path(0)
                .path("modelVersion")
                .asText();
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }

    private static void report(String change, long millis) {
        System.out.printf("DevLoopIT: %s live after %d ms%n", change, millis);
    }
}
