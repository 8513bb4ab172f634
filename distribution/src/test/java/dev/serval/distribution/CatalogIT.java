package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One catalog of what is served: a deploy-folder file's new content takes traffic only once it is
 * ready, and a broken one is rolled back without a failed request, its failure shown in describe,
 * the metrics and the shell; a duplicate registration starts no workers; a model unregistered
 * through the API is no longer its file's.
 */
class CatalogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY_CONFIG =
            "minWorkers: 1\nhandler:\n  resize: [28, 28]\n  grayscale: true\n" + "  mean: [0.1302]\n  std: [0.3069]\n";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static Path staging;
    private static byte[] digit;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        staging = Files.createDirectories(root.resolve("staging"));
        digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        server = ServerProcess.start(root, store, "enable_model_api=true");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void brokenReplacementsAreRolledBackWithoutAFailedRequest() throws Exception {
        Path file = server.deployDir.resolve("swap.mar");
        Files.move(archive("swap.mar", "1.0", "convnet_digits.pt", "image_classifier", READY_CONFIG), file);
        ServerProcess.waitFor(() -> predict("swap").statusCode() == 200);
        String loadedAt = describe("swap").get("loadedAt").asText();

        try (Load load = new Load(() -> predict("swap"))) {
            replace(file, archive("swap.mar", "1.1", "convnet_digits.pt", "no_such_handler", READY_CONFIG));
            awaitFailure("swap", "needs handler 'no_such_handler', which no deployed bundle provides");

            replace(
                    file,
                    archive("swap.mar", "1.2", "convnet_digits.pt", "image_classifier", READY_CONFIG + "  topk: 0\n"));
            awaitFailure("swap", "its handler failed to initialize");

            replace(
                    file,
                    Archives.zip(
                            staging.resolve("swap.mar"),
                            Map.of(
                                    "MAR-INF/MANIFEST.json",
                                            manifest("swap", "1.3", "convnet_digits.pt", "image_classifier"),
                                    "convnet_digits.pt", "these are not weights".getBytes())));
            awaitFailure("swap", "could not be loaded");

            replace(
                    file,
                    archive(
                            "swap.mar",
                            "1.4",
                            "convnet_digits.pt",
                            "image_classifier",
                            "warmup: [index_to_name.json]\n" + READY_CONFIG));
            awaitFailure("swap", "warm-up input index_to_name.json failed");

            JsonNode rolledBack = describe("swap");
            assertEquals("1.0", rolledBack.get("modelVersion").asText());
            assertEquals("READY", rolledBack.get("status").asText());
            assertEquals(loadedAt, rolledBack.get("loadedAt").asText(), "the serving version was not reloaded");
            assertEquals(1.0, failureGauge("swap"));
            assertTrue(shell("serval:list").contains("failure: Replacement from " + file), shell("serval:list"));

            // A good replacement, warmed up on a digit of its own, takes over; the failure is gone.
            replace(
                    file,
                    archive(
                            "swap.mar",
                            "2.0",
                            "convnet_digits.onnx",
                            "image_classifier",
                            "warmup: [images/five.png]\n" + READY_CONFIG));
            ServerProcess.waitFor(
                    () -> describe("swap").get("modelVersion").asText().equals("2.0"));
            JsonNode replaced = describe("swap");
            assertEquals("OnnxRuntime", replaced.get("engine").asText());
            assertFalse(replaced.has("failure"), replaced.toString());
            assertEquals(0.0, failureGauge("swap"));

            assertTrue(load.answered() > 0, "the load ran");
            assertEquals(Map.of(), load.failures(), "requests failed during the swaps");
        }
        Files.delete(file);
        ServerProcess.waitFor(() -> predict("swap").statusCode() == 404);
    }

    @Test
    void aModelThatFailsToInitializeSaysWhyInDescribe() throws Exception {
        Path file = server.deployDir.resolve("failing.mar");
        Files.move(
                archive("failing.mar", "1.0", "convnet_digits.pt", "image_classifier", READY_CONFIG + "  topk: 0\n"),
                file);
        ServerProcess.waitFor(
                () -> server.get(server.managementPort, "/models/failing").statusCode() == 200
                        && describe("failing").get("status").asText().equals("FAILED"));
        assertTrue(
                describe("failing")
                        .get("failure")
                        .asText()
                        .contains(
                                "its handler failed to initialize: java.lang.IllegalArgumentException: model-config.yaml: "
                                        + "handler.topk must be positive, not 0"),
                describe("failing").toString());
        assertEquals(1.0, failureGauge("failing"));
        Files.delete(file);
        ServerProcess.waitFor(
                () -> server.get(server.managementPort, "/models/failing").statusCode() == 404);
    }

    @Test
    void aDuplicateRegistrationStartsNoWorker() throws Exception {
        int before = server.logged("is serving with handler");
        HttpResponse<String> again = server.send("POST", server.managementPort, "/models?url=digits.mar");
        assertEquals(409, again.statusCode(), again.body());
        Thread.sleep(500);
        assertEquals(before, server.logged("is serving with handler"), "a worker started for the duplicate");
        assertEquals(1, describe("digits").get("workers").size());
    }

    @Test
    void aFileModelUnregisteredThroughTheApiIsNoLongerTheFiles() throws Exception {
        Path file = server.deployDir.resolve("owned.mar");
        Files.move(archive("owned.mar", "1.0", "convnet_digits.pt", "image_classifier", READY_CONFIG), file);
        ServerProcess.waitFor(() -> predict("owned").statusCode() == 200);
        assertEquals(
                200,
                server.send("DELETE", server.managementPort, "/models/owned").statusCode());

        // Nothing serves for the file now: a broken new content of it replaces nothing.
        Files.writeString(staging.resolve("owned.mar"), "not an archive");
        replace(file, staging.resolve("owned.mar"));
        ServerProcess.waitFor(() -> server.log().contains("Model owned.mar not deployed: Cannot extract"));
        assertFalse(
                server.log().contains("owned.mar not redeployed")
                        || server.log().contains("owned.mar not deployed, version"),
                "the log says a version serves on");

        replace(file, archive("owned.mar", "2.0", "convnet_digits.pt", "image_classifier", READY_CONFIG));
        ServerProcess.waitFor(() -> predict("owned").statusCode() == 200);
        assertEquals("2.0", describe("owned").get("modelVersion").asText());
        Files.delete(file);
        ServerProcess.waitFor(() -> predict("owned").statusCode() == 404);
    }

    private static Path archive(String file, String version, String serializedFile, String handler, String config)
            throws Exception {
        return Archives.zip(
                staging.resolve(file),
                Map.of(
                        "MAR-INF/MANIFEST.json",
                        manifest(file.replace(".mar", ""), version, serializedFile, handler),
                        serializedFile,
                        Files.readAllBytes(Archives.DIGITS.resolve(serializedFile)),
                        "index_to_name.json",
                        Files.readAllBytes(Archives.DIGITS.resolve("index_to_name.json")),
                        "images/five.png",
                        digit,
                        "model-config.yaml",
                        config.getBytes()));
    }

    private static byte[] manifest(String name, String version, String serializedFile, String handler) {
        return """
                {"runtime": "python", "model": {"modelName": "%s", "serializedFile": "%s", "handler": "%s",
                 "modelVersion": "%s"}}
                """.formatted(name, serializedFile, handler, version).getBytes();
    }

    private static void replace(Path file, Path content) throws Exception {
        Files.move(content, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitFailure(String model, String reason) throws Exception {
        awaitFailure(server, model, reason);
    }

    /**
     * @param server a server
     * @param model one of its models
     * @param reason what its describe's {@code failure} is to say
     */
    static void awaitFailure(ServerProcess server, String model, String reason) throws Exception {
        try {
            ServerProcess.waitFor(
                    () -> describe(server, model).path("failure").asText().contains(reason));
        } catch (AssertionError e) {
            throw new AssertionError(
                    "describe never said " + reason + ": " + describe(server, model) + "\n" + server.log(), e);
        }
    }

    private static JsonNode describe(String model) throws Exception {
        return describe(server, model);
    }

    /**
     * @param server a server
     * @param model one of its models
     * @return its describe, the default version's
     */
    static JsonNode describe(ServerProcess server, String model) throws Exception {
        return JSON.readTree(
                        server.get(server.managementPort, "/models/" + model).body())
                .get(0);
    }

    private static HttpResponse<String> predict(String model) throws Exception {
        return server.predict("/predictions/" + model, digit, "POST");
    }

    private static double failureGauge(String model) throws Exception {
        return failureGauge(server, model);
    }

    /**
     * @param server a server
     * @param model a model name
     * @return its {@code serval_model_failure} gauge
     */
    static double failureGauge(ServerProcess server, String model) throws Exception {
        return server.get(server.metricsPort, "/metrics")
                .body()
                .lines()
                .filter(line ->
                        line.startsWith("serval_model_failure{") && line.contains("model_name=\"" + model + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no serval_model_failure series for " + model));
    }

    private static String shell(String command) throws Exception {
        return ServerProcess.run(
                "shell",
                "--config",
                server.config.toString(),
                "--work-dir",
                root.resolve("work").toString(),
                command);
    }
}
