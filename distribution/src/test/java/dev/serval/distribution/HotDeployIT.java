package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models come and go while the server runs: dropped into deploy/ they serve within 2 s, replaced
 * they serve the new version with no failed request, deleted they are gone within 2 s; broken
 * archives and unknown handlers never take the other models down.
 */
class HotDeployIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEPLOY_WITHIN_MS = 2_000;

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] digit;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("nohandler.mar"), "nohandler", "1.0", "convnet_digits.pt", "no_such_handler");
        Files.write(store.resolve("corrupt.mar"), "this is not a zip archive".getBytes());
        digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        // nohandler never gets its workers: /ping stays Unhealthy (ReadinessIT).
        server = ServerProcess.startUnhealthy(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void corruptArchiveAndUnknownHandlerLeaveTheOtherModelsServing() throws Exception {
        JsonNode models = JSON.readTree(
                        server.get(server.managementPort, "/models").body())
                .get("models");
        assertTrue(models.toString().contains("\"digits\""), models.toString());
        assertFalse(models.toString().contains("corrupt"), models.toString());
        assertTrue(server.log().contains("Model corrupt.mar not deployed: Cannot extract corrupt.mar"), server.log());

        assertEquals(200, predict("/predictions/digits").statusCode());

        HttpResponse<String> noHandler = predict("/predictions/nohandler");
        assertError(noHandler, 503, "ServiceUnavailableException");
        assertTrue(noHandler.body().contains("no_such_handler"), noHandler.body());
        assertTrue(server.log().contains("names handler 'no_such_handler', which no deployed bundle provides"));
    }

    @Test
    void unknownModelsVersionsAndRoutesAreJson404s() throws Exception {
        assertError(predict("/predictions/nope"), 404, "ModelNotFoundException");
        assertError(predict("/predictions/digits/9.9"), 404, "ModelVersionNotFoundException");
        assertError(server.get(server.inferencePort, "/no/such/route"), 404, "ResourceNotFoundException");
        assertError(server.get(server.managementPort, "/models/nope"), 404, "ModelNotFoundException");
    }

    @Test
    void registerAndUnregisterAreOffUnlessTheModelApiIsEnabled() throws Exception {
        assertError(
                server.send("POST", server.managementPort, "/models?url=digits.mar"), 405, "MethodNotAllowedException");
        assertError(server.send("DELETE", server.managementPort, "/models/digits"), 405, "MethodNotAllowedException");
        assertEquals(200, predict("/predictions/digits").statusCode());
    }

    @Test
    void describeReportsTheServingModel() throws Exception {
        JsonNode description = JSON.readTree(
                        server.get(server.managementPort, "/models/digits").body())
                .get(0);
        assertEquals("digits", description.get("modelName").asText());
        assertEquals("1.0", description.get("modelVersion").asText());
        assertEquals("digits.mar", description.get("modelUrl").asText());
        assertEquals("READY", description.get("status").asText());
        assertEquals(1, description.get("workers").size());
    }

    @Test
    void archiveDroppedReplacedAndDeletedWithoutRestart() throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging"));
        Path deployed = server.deployDir.resolve("hot.mar");

        Files.move(
                Archives.digits(staging.resolve("hot.mar"), "hot", "1.0", "convnet_digits.pt", "image_classifier"),
                deployed);
        long servedAfter =
                ServerProcess.waitFor(() -> predict("/predictions/hot").statusCode() == 200);
        assertTrue(servedAfter <= DEPLOY_WITHIN_MS, "served after " + servedAfter + " ms");

        Files.move(
                Archives.digits(staging.resolve("hot.mar"), "hot", "2.0", "convnet_digits.onnx", "image_classifier"),
                deployed,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long start = System.nanoTime();
        int failed = 0;
        String version = "1.0";
        while (!version.equals("2.0") && System.nanoTime() - start < 10_000_000_000L) {
            if (predict("/predictions/hot").statusCode() != 200) {
                failed++;
            }
            version = JSON.readTree(
                            server.get(server.managementPort, "/models/hot").body())
                    .get(0)
                    .get("modelVersion")
                    .asText();
        }
        long replacedAfter = (System.nanoTime() - start) / 1_000_000;
        assertEquals("2.0", version);
        assertTrue(replacedAfter <= DEPLOY_WITHIN_MS, "replaced after " + replacedAfter + " ms");
        assertEquals(0, failed, "requests failed while the archive was replaced");
        assertEquals("OnnxRuntime", engineOf("hot"), "version 2.0 is the ONNX file");
        assertEquals(200, predict("/predictions/hot").statusCode());

        Files.delete(deployed);
        long goneAfter = ServerProcess.waitFor(() -> predict("/predictions/hot").statusCode() == 404);
        assertTrue(goneAfter <= DEPLOY_WITHIN_MS, "gone after " + goneAfter + " ms");
        assertEquals(200, predict("/predictions/digits").statusCode());
    }

    @Test
    void modelFolderDroppedServesAndDeletedIsGone() throws Exception {
        Path folder = Files.createDirectories(root.resolve("staging-folder/folded"));
        Files.createDirectories(folder.resolve("MAR-INF"));
        Files.writeString(
                folder.resolve("MAR-INF/MANIFEST.json"),
                Files.readString(Archives.DIGITS.resolve("MAR-INF/MANIFEST.json"))
                        .replace("\"digits\"", "\"folded\""));
        for (String file : java.util.List.of("convnet_digits.pt", "index_to_name.json", "model-config.yaml")) {
            Files.copy(Archives.DIGITS.resolve(file), folder.resolve(file));
        }
        Path deployed = server.deployDir.resolve("folded");

        Files.move(folder, deployed);
        long servedAfter =
                ServerProcess.waitFor(() -> predict("/predictions/folded").statusCode() == 200);
        assertTrue(servedAfter <= DEPLOY_WITHIN_MS, "served after " + servedAfter + " ms");

        try (var files = Files.walk(deployed)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        long goneAfter =
                ServerProcess.waitFor(() -> predict("/predictions/folded").statusCode() == 404);
        assertTrue(goneAfter <= DEPLOY_WITHIN_MS, "gone after " + goneAfter + " ms");
    }

    @Test
    void aDeployFolderFileCannotTakeOverAModelServedFromElsewhere() throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging-conflicts"));
        JsonNode digits = describe("digits");

        // A new file naming the model store's model, in another version: refused, not added.
        Files.move(
                Archives.digits(
                        staging.resolve("thief.mar"), "digits", "2.0", "convnet_digits.onnx", "image_classifier"),
                server.deployDir.resolve("thief.mar"));
        awaitLog("thief.mar not deployed: Model digits is already served from "
                + root.resolve("store/digits.mar").toAbsolutePath());

        // A file serving a model of its own, overwritten by one naming the store's model: refused,
        // and the file's own model keeps serving.
        Path own = server.deployDir.resolve("own.mar");
        Files.move(
                Archives.digits(staging.resolve("own.mar"), "own", "1.0", "convnet_digits.pt", "image_classifier"),
                own);
        ServerProcess.waitFor(() -> predict("/predictions/own").statusCode() == 200);
        Files.move(
                Archives.digits(staging.resolve("own.mar"), "digits", "1.0", "convnet_digits.onnx", "image_classifier"),
                own,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        awaitLog(
                "Model own: Replacement from " + own.toAbsolutePath().normalize()
                        + " (model digits version 1.0) was not served, version 1.0 serves on: Model digits is already served from ");

        // Another file naming the first file's model: refused too.
        Files.move(
                Archives.digits(staging.resolve("copy.mar"), "own", "2.0", "convnet_digits.pt", "image_classifier"),
                server.deployDir.resolve("copy.mar"));
        awaitLog("copy.mar not deployed: Model own is already served from "
                + own.toAbsolutePath().normalize());

        assertEquals(200, predict("/predictions/own").statusCode());
        assertEquals("PyTorch", engineOf("own"));
        JsonNode after = JSON.readTree(
                server.get(server.managementPort, "/models/digits/all").body());
        assertEquals(1, after.size(), after.toString());
        assertEquals("digits.mar", after.get(0).get("modelUrl").asText());
        assertEquals(digits.get("loadedAt"), after.get(0).get("loadedAt"), "the store's version was not reloaded");
        assertEquals(
                digits.get("workers").findValues("startTime"),
                after.get(0).get("workers").findValues("startTime"),
                "its workers are the ones it had");
        assertEquals(200, predict("/predictions/digits").statusCode());
        assertEquals(
                1,
                JSON.readTree(server.get(server.managementPort, "/models/own/all")
                                .body())
                        .size());

        Files.delete(server.deployDir.resolve("copy.mar"));
        Files.delete(server.deployDir.resolve("thief.mar"));
        Files.delete(own);
        ServerProcess.waitFor(() -> predict("/predictions/own").statusCode() == 404);
        assertEquals(200, predict("/predictions/digits").statusCode());
    }

    @Test
    void aConfigurationFileDroppedIntoTheDeployFolderConfiguresNothing() throws Exception {
        // With ConfigAdmin in the framework, FileInstall would take a .cfg file as a configuration:
        // this one would add a watcher deploying the models of another folder.
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Archives.digits(
                elsewhere.resolve("elsewhere.mar"), "elsewhere", "1.0", "convnet_digits.pt", "image_classifier");
        Files.writeString(
                server.deployDir.resolve("org.apache.felix.fileinstall-elsewhere.cfg"),
                "felix.fileinstall.dir=" + elsewhere.toAbsolutePath() + "\nfelix.fileinstall.poll=100\n");
        Path staging = Files.createDirectories(root.resolve("staging-cfg"));
        Path sentinel = server.deployDir.resolve("sentinel.mar");
        Files.move(
                Archives.digits(
                        staging.resolve("sentinel.mar"), "sentinel", "1.0", "convnet_digits.pt", "image_classifier"),
                sentinel);
        ServerProcess.waitFor(() -> predict("/predictions/sentinel").statusCode() == 200);

        // A watcher made from the file would have deployed it within this time, as the sentinel was.
        long until = System.nanoTime() + DEPLOY_WITHIN_MS * 1_000_000;
        while (System.nanoTime() < until) {
            assertEquals(404, predict("/predictions/elsewhere").statusCode());
            Thread.sleep(100);
        }
        Files.delete(sentinel);
        ServerProcess.waitFor(() -> predict("/predictions/sentinel").statusCode() == 404);
    }

    @Test
    void brokenArchiveDroppedIntoTheDeployFolderIsLoggedAndHarmless() throws Exception {
        Archives.zip(server.deployDir.resolve("broken.mar"), Map.of("MAR-INF/MANIFEST.json", "{not json".getBytes()));
        ServerProcess.waitFor(
                () -> server.log().contains("Model broken.mar not deployed: Malformed MAR-INF/MANIFEST.json"));
        assertEquals(200, predict("/predictions/digits").statusCode());
    }

    private JsonNode describe(String model) throws Exception {
        return JSON.readTree(
                        server.get(server.managementPort, "/models/" + model).body())
                .get(0);
    }

    private static void awaitLog(String line) throws Exception {
        try {
            ServerProcess.waitFor(() -> server.log().contains(line));
        } catch (AssertionError e) {
            throw new AssertionError("not logged: " + line + "\n" + server.log(), e);
        }
    }

    private String engineOf(String model) throws Exception {
        return JSON.readTree(
                        server.get(server.managementPort, "/models/" + model).body())
                .get(0)
                .get("engine")
                .asText();
    }

    private HttpResponse<String> predict(String path) throws Exception {
        return server.predict(path, digit, "POST");
    }

    private static void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(status, body.get("code").asInt(), response.body());
        assertEquals(type, body.get("type").asText(), response.body());
        assertFalse(body.get("message").asText().isBlank(), response.body());
    }
}
