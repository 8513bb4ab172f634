package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every listener's OpenAPI description, fetched from the built server with {@code OPTIONS /} (the
 * inference, management and metrics listeners, and the one listener of both APIs that one address
 * for both makes), passes {@code redocly lint} with its recommended rules: no error, and no
 * warning but the missing license (Serval names none). Needs Node.js and npm; the README's test command brings them.
 */
class OpenApiLintIT {

    /** Pinned, so that a new release's rules do not fail an unchanged build. */
    static final String REDOCLY = "@redocly/cli@2.77.0";
    /** npx's cache: a stable folder, so that only the first run downloads the linter. */
    private static final Path NPM_CACHE =
            Path.of(System.getProperty("serval.npm.cache", System.getProperty("user.home") + "/.npm"));

    private static final Path OUTPUT = Path.of("target/openapi");
    /** The first run downloads the linter (~30 MB); later ones start it from the cache. */
    private static final long LINT_SECONDS = 240;

    private static final Set<String> ACCEPTED_WARNINGS = Set.of("info-license");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void everyListenersDescriptionPassesRedoclyLint() throws Exception {
        Files.createDirectories(OUTPUT);
        try (ServerProcess server = ServerProcess.start(root, Files.createDirectories(root.resolve("store")))) {
            lintAll(
                    server,
                    Map.of(
                            "inference",
                            server.inferencePort,
                            "management",
                            server.managementPort,
                            "metrics",
                            server.metricsPort));
        }
        // KServe's TorchServe configuration: one listener of both APIs, each operation naming its key.
        Path shared = Files.createDirectories(root.resolve("shared"));
        int[] ports = ServerProcess.freePorts(2);
        List<String> arguments = new ArrayList<>(List.of(
                "--inference-address",
                "http://127.0.0.1:" + ports[0],
                "--management-address",
                "http://127.0.0.1:" + ports[0],
                "--metrics-address",
                "http://127.0.0.1:" + ports[1],
                "--model-store",
                root.resolve("store").toString()));
        arguments.addAll(ServerProcess.folders(shared));
        try (ServerProcess server = ServerProcess.launch(shared, arguments, Map.of(), ports[0], ports[0], ports[1])
                .awaitHealthy()) {
            lintAll(server, Map.of("inference-and-management", ports[0]));
        }
    }

    private static void lintAll(ServerProcess server, Map<String, Integer> listeners) throws Exception {
        for (Map.Entry<String, Integer> listener : listeners.entrySet()) {
            HttpResponse<String> description = server.send("OPTIONS", listener.getValue(), "/");
            assertEquals(200, description.statusCode(), description.body());
            Path file = Files.writeString(OUTPUT.resolve(listener.getKey() + ".json"), description.body());

            Lint lint = lint(file);
            JsonNode report = lint.report();
            assertEquals(0, report.at("/totals/errors").asInt(), file + ": " + report.toPrettyString());
            assertEquals(0, lint.exitCode(), file + ": " + report.toPrettyString());
            Set<String> warnings = new TreeSet<>();
            report.get("problems")
                    .forEach(problem -> warnings.add(problem.get("ruleId").asText()));
            assertTrue(ACCEPTED_WARNINGS.containsAll(warnings), file + ": " + report.toPrettyString());
        }
    }

    /** What {@code redocly lint} said of a file: its exit code and its {@code --format=json} report. */
    private record Lint(int exitCode, JsonNode report) {}

    private static Lint lint(Path file) throws Exception {
        Path report = OUTPUT.resolve(file.getFileName() + ".lint.json");
        Path log = OUTPUT.resolve(file.getFileName() + ".lint.log");
        List<String> command = new ArrayList<>(List.of(
                "npx",
                "--yes",
                REDOCLY,
                "lint",
                "--format=json",
                file.toAbsolutePath().toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(report.toFile()).redirectError(log.toFile());
        builder.environment().put("npm_config_cache", NPM_CACHE.toString());
        builder.environment().put("npm_config_update_notifier", "false");
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail(
                    "npx is not on the PATH: this test lints the OpenAPI descriptions with " + REDOCLY
                            + " and needs Node.js 20.19+ and npm (the README's test command, .ci/run, installs them)",
                    e);
        }
        if (!process.waitFor(LINT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " took more than " + LINT_SECONDS + " s (downloading " + REDOCLY + " into "
                    + NPM_CACHE + "?): " + Files.readString(log));
        }
        String output = Files.readString(report);
        // No report at all when redocly did not run (npx could not fetch it, Node.js too old).
        if (output.isBlank()) {
            fail(String.join(" ", command) + " exited " + process.exitValue() + " without a report: "
                    + Files.readString(log));
        }
        return new Lint(process.exitValue(), JSON.readTree(output));
    }
}
