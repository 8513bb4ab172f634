package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new build of a handler bundle copied over the jar serving a model is tried beside it: one
 * whose handler cannot initialize is uninstalled while the old build answers every request, the
 * failure shown in describe, the metrics and the shell; a good one takes over without a failed
 * request; a broken newer version in a file of its own is left out too.
 */
class HandlerSwapIT {

    @TempDir
    Path root;

    @Test
    void aNewHandlerBuildTakesOverOnlyOnceItServesAndABrokenOneIsRolledBack() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Path staging = Files.createDirectories(root.resolve("staging"));
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        try (ServerProcess server = ServerProcess.start(root, store)) {
            BundleBuildsIT.deployReporter(server, staging);
            Path jar = server.deployDir.resolve("reporter.jar");
            Files.move(BuildReporter.jar(staging.resolve("first.jar"), "1.0.0", "first"), jar);
            BundleBuildsIT.awaitBuild(server, digit, "first");

            try (Load load = new Load(() -> server.predict("/predictions/reporter", digit, "POST"))) {
                // Rebuilt without a new version, as the edit-build-serve loop does, and broken.
                replace(BuildReporter.failingJar(staging.resolve("broken.jar"), "1.0.0", "broken"), jar);
                CatalogIT.awaitFailure(
                        server,
                        "reporter",
                        "A new build of handler bundle test.build (1.0.0) was not "
                                + "adopted, build 1.0.0 serves on: model reporter version 1.0: its handler failed to initialize: "
                                + "java.lang.IllegalStateException: build broken cannot initialize");
                ServerProcess.waitFor(() -> server.log()
                        .contains(
                                "WARN BundleBuildInstaller - Bundle test.build: reporter.jar (1.0.0) was not adopted"));
                assertEquals("first", BundleBuildsIT.build(server, digit));
                assertEquals(
                        "READY",
                        CatalogIT.describe(server, "reporter").get("status").asText());
                assertEquals(1.0, CatalogIT.failureGauge(server, "reporter"));
                String list = ServerProcess.run(
                        "shell",
                        "--config",
                        server.config.toString(),
                        "--work-dir",
                        root.resolve("work").toString(),
                        "serval:list");
                assertTrue(list.contains("was not adopted"), list);
                assertEquals(List.of("1.0.0"), BundleBuildsIT.installed(root), "the broken build is gone");

                replace(BuildReporter.jar(staging.resolve("good.jar"), "1.0.1", "good"), jar);
                BundleBuildsIT.awaitBuild(server, digit, "good");
                ServerProcess.waitFor(
                        () -> !CatalogIT.describe(server, "reporter").has("failure"));
                assertEquals(0.0, CatalogIT.failureGauge(server, "reporter"));
                assertEquals(List.of("1.0.1"), BundleBuildsIT.installed(root), "the old build is gone");

                // A broken newer version in a file of its own is left out the same way.
                Files.move(
                        BuildReporter.failingJar(staging.resolve("reporter-2.jar"), "2.0.0", "two"),
                        server.deployDir.resolve("reporter-2.jar"));
                CatalogIT.awaitFailure(server, "reporter", "test.build (2.0.0) was not adopted, build 1.0.1 serves on");
                assertEquals("good", BundleBuildsIT.build(server, digit));
                assertEquals(List.of("1.0.1"), BundleBuildsIT.installed(root));

                assertTrue(load.answered() > 0, "the load ran");
                assertEquals(Map.of(), load.failures(), "requests failed while the builds changed");
            }
        }
    }

    private static void replace(Path content, Path file) throws Exception {
        Files.move(content, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
