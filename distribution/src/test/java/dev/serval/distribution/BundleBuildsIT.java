package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds of one handler bundle in deploy/ (one symbolic name, several files): only the newest is
 * installed, the highest version or, of equal versions, the file written last; the others are
 * uninstalled or never installed, each with one warning naming both files; the newest deleted,
 * the newest of the others serves. Dropped one after another while the server runs, and all at
 * once at a restart, which installs the same one.
 */
class BundleBuildsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUNDLE = "test.build";

    @TempDir
    Path root;

    @Test
    void onlyTheNewestBuildOfABundleIsInstalledAtRunTimeAndAfterARestart() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Path staging = Files.createDirectories(root.resolve("staging"));
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        try (ServerProcess server = ServerProcess.start(root, store)) {
            deployReporter(server, staging);
            drop(server, staging, "reporter-1.0.0.jar", "1.0.0", "first", 0);
            awaitBuild(server, digit, "first");

            drop(server, staging, "reporter-1.0.1.jar", "1.0.1", "second", 0);
            awaitBuild(server, digit, "second");
            assertEquals(List.of("1.0.1"), installed(), "only the newest build is installed");
            awaitLog(
                    server,
                    "Bundle test.build: reporter-1.0.1.jar (1.0.1) replaces reporter-1.0.0.jar (1.0.0) "
                            + "of the deploy folder, which is uninstalled");

            // An older version dropped later is not installed; nor is a copy written before.
            drop(server, staging, "reporter-0.9.0.jar", "0.9.0", "older", 0);
            awaitLog(
                    server,
                    "Bundle test.build: reporter-0.9.0.jar (0.9.0) is not installed, reporter-1.0.1.jar "
                            + "(1.0.1) of the deploy folder is newer");
            drop(server, staging, "reporter-stale.jar", "1.0.1", "stale", -60_000);
            awaitLog(server, "reporter-stale.jar (1.0.1) is not installed, reporter-1.0.1.jar (1.0.1)");
            assertEquals("second", build(server, digit));

            // The same version written later replaces it.
            drop(server, staging, "reporter-rebuilt.jar", "1.0.1", "rebuilt", 0);
            awaitBuild(server, digit, "rebuilt");
            assertEquals(List.of("1.0.1"), installed());
            assertEquals(
                    0,
                    count(server.log(), "Handler 'build_reporter' of bundle test.build replaces"),
                    "each build took over from the one before, never beside it:\n" + server.log());

            // A newer build copied over a file whose build was replaced serves (FileInstall alone
            // would update the bundle it had uninstalled).
            Path overwritten = BuildReporter.jar(staging.resolve("reporter-1.0.2.jar"), "1.0.2", "overwritten");
            Files.move(
                    overwritten, server.deployDir.resolve("reporter-1.0.0.jar"), StandardCopyOption.REPLACE_EXISTING);
            awaitBuild(server, digit, "overwritten");
            assertEquals(List.of("1.0.2"), installed());

            // The newest deleted, the newest of the others takes its place, as it would at a restart.
            Files.delete(server.deployDir.resolve("reporter-1.0.0.jar"));
            awaitBuild(server, digit, "rebuilt");
            assertEquals(List.of("1.0.1"), installed());
        }

        // All four files at once: FileInstall's first scan installs the same one, whatever its order.
        try (ServerProcess server = ServerProcess.start(root, store)) {
            awaitBuild(server, digit, "rebuilt");
            assertEquals(List.of("1.0.1"), installed());
            assertEquals(0, count(server.log(), "of bundle test.build replaces"), server.log());
            assertEquals(
                    3,
                    count(server.log(), "WARN BundleBuildInstaller - Bundle test.build: "),
                    "one warning for each build left out:\n" + server.log());
        }
    }

    /** Deploys the model {@code reporter}, whose handler the builds of the bundle {@code test.build} provide. */
    static void deployReporter(ServerProcess server, Path staging) throws Exception {
        Archives.digits(staging.resolve("reporter.mar"), "reporter", "1.0", "convnet_digits.pt", BuildReporter.NAME);
        Files.move(staging.resolve("reporter.mar"), server.deployDir.resolve("reporter.mar"));
    }

    /**
     * Writes a build of the reporter bundle beside the deploy folder and moves it in.
     *
     * @param age milliseconds added to the file's modification time (negative: written before)
     */
    private static void drop(ServerProcess server, Path staging, String file, String version, String build, long age)
            throws Exception {
        Path jar = BuildReporter.jar(staging.resolve(file), version, build);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + age));
        Files.move(jar, server.deployDir.resolve(file));
    }

    /** Waits until the model {@code reporter} answers that build. */
    static void awaitBuild(ServerProcess server, byte[] input, String build) throws Exception {
        try {
            ServerProcess.waitFor(() -> build.equals(build(server, input)));
        } catch (AssertionError e) {
            throw new AssertionError(
                    "build " + build + " not served; it is " + build(server, input) + "\n" + server.log(), e);
        }
    }

    /** @return the build the model {@code reporter} answers with, or the status and body of another answer */
    static String build(ServerProcess server, byte[] input) throws Exception {
        var response = server.predict("/predictions/reporter", input, "POST");
        if (response.statusCode() != 200) {
            return response.statusCode() + " " + response.body();
        }
        JsonNode answer = JSON.readTree(response.body());
        return answer.get("build").asText();
    }

    private static void awaitLog(ServerProcess server, String line) throws Exception {
        try {
            ServerProcess.waitFor(() -> server.log().contains(line));
        } catch (AssertionError e) {
            throw new AssertionError("not logged: " + line + "\n" + server.log(), e);
        }
    }

    /** @return the versions of the test bundle installed, from the shell's {@code lb} */
    private List<String> installed() throws Exception {
        return installed(root);
    }

    /**
     * @param root the server's folder, as {@link ServerProcess#start} made it
     * @return the versions of the test bundle installed, from the shell's {@code lb}
     */
    static List<String> installed(Path root) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ServerProcess.DIST.resolve("bin/serval").toString(),
                "shell",
                "--config",
                root.resolve("config.properties").toString(),
                "--work-dir",
                root.resolve("work").toString(),
                "lb"));
        Process shell = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(shell.waitFor(30, TimeUnit.SECONDS), "shell still running: " + output);
        assertTrue(output.contains("System Bundle"), output);
        return output.lines()
                .filter(line -> line.contains("|" + BUNDLE + " ("))
                .map(line -> line.substring(line.lastIndexOf('|') + 1).trim())
                .toList();
    }

    private static long count(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).count();
    }
}
