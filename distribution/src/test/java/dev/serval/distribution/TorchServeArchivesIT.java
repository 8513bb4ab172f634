package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives a TorchServe user has that only Python serves — a Python handler, an eager model —
 * are refused wherever they come from (load_models, a register call, the deploy folder, the
 * snapshot) with what Serval runs and how to port, instead of a model that answers 503 for ever.
 */
class TorchServeArchivesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = "The handler 'mnist_handler.py' is Python code, which Serval does not run.";
    private static final String EAGER = "The model mnist_cnn.pth with mnist.py is eager PyTorch";

    @TempDir
    static Path root;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.pythonHandler(store.resolve("mnist.mar"), "mnist");
        Archives.eagerModel(store.resolve("mnist_eager.mar"), "mnist_eager");
        // load_models=all: the two refused at start leave the server healthy with digits.
        server = ServerProcess.start(root, store, "enable_model_api=true");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void loadModelsRefusesThemAndServesTheOthers() throws Exception {
        assertTrue(server.log().contains(PYTHON), server.log());
        assertTrue(server.log().contains(EAGER), server.log());
        String models = server.get(server.managementPort, "/models").body();
        assertTrue(models.contains("\"digits\""), models);
        assertFalse(models.contains("\"mnist\""), models);
        assertFalse(models.contains("\"mnist_eager\""), models);
    }

    @Test
    void registeringAPythonHandlerIsABadRequestSayingHowToPort() throws Exception {
        String message =
                assertInvalid(server.send("POST", server.managementPort, "/models?url=mnist.mar&synchronous=true"));
        assertTrue(message.startsWith(PYTHON), message);
        for (String said : new String[] {
            "TorchScript (.pt) and ONNX (.onnx)",
            "image_classifier, image_segmenter," + " object_detector, text_classifier, hf_sequence_classifier",
            "Java Handler",
            "docs/porting-from-torchserve.md"
        }) {
            assertTrue(message.contains(said), message);
        }
        // A register call naming a Java handler instead serves the archive's TorchScript model.
        // (Without the digits' model-config.yaml its preprocessing is ImageNet's, so predictions would not fit.)
        HttpResponse<String> ported = server.send(
                "POST",
                server.managementPort,
                "/models?url=mnist.mar&model_name=ported&handler=image_classifier&synchronous=true");
        assertEquals(200, ported.statusCode(), ported.body());
        assertEquals(
                "READY",
                JSON.readTree(server.get(server.managementPort, "/models/ported")
                                .body())
                        .get(0)
                        .get("status")
                        .asText());
    }

    @Test
    void registeringAnEagerModelIsABadRequestSayingHowToExport() throws Exception {
        String message = assertInvalid(server.send("POST", server.managementPort, "/models?url=mnist_eager.mar"));
        assertTrue(message.startsWith(EAGER), message);
        assertTrue(message.contains("torch.jit.trace or torch.jit.script"), message);
        assertTrue(message.contains("torch.onnx.export"), message);
    }

    @Test
    void theDeployFolderLogsThemOnceAndServesNothing() throws Exception {
        Path staging = Files.createDirectories(root.resolve("staging"));
        Files.move(Archives.pythonHandler(staging.resolve("py.mar"), "py"), server.deployDir.resolve("py.mar"));
        Files.move(Archives.eagerModel(staging.resolve("eager.mar"), "eager"), server.deployDir.resolve("eager.mar"));

        ServerProcess.waitFor(() -> server.log().contains("Model py.mar not deployed: " + PYTHON)
                && server.log().contains("Model eager.mar not deployed: " + EAGER));
        // FileInstall polls each second: two more polls must not log it again.
        Thread.sleep(2_500);
        assertEquals(1, server.logged("Model py.mar not deployed"), server.log());
        assertEquals(1, server.logged("Model eager.mar not deployed"), server.log());
        for (String model : new String[] {"py", "eager"}) {
            HttpResponse<String> answer = predict("/predictions/" + model);
            assertEquals(404, answer.statusCode(), answer.body());
            assertEquals(
                    "ModelNotFoundException",
                    JSON.readTree(answer.body()).get("type").asText());
        }
        assertEquals(200, predict("/predictions/digits").statusCode());
    }

    @Test
    void aSnapshotNamingOneRestoresTheOthers() throws Exception {
        // As an earlier Serval wrote it, which registered such an archive to wait for its handler.
        Path other = Files.createDirectories(root.resolve("restarted/work"));
        Files.writeString(other.resolve("snapshot.json"), """
                {"models": [{"url": "mnist.mar", "modelName": "mnist", "modelVersion": "1.0",
                  "handler": "mnist_handler.py", "default": true, "minWorkers": 1},
                 {"url": "digits.mar", "modelName": "digits", "modelVersion": "1.0",
                  "handler": "image_classifier", "default": true, "minWorkers": 1}]}
                """);
        try (ServerProcess restarted = ServerProcess.start(other.getParent(), root.resolve("store"))) {
            assertTrue(restarted.log().contains("Snapshot model mnist not restored: " + PYTHON), restarted.log());
            assertEquals(
                    200,
                    restarted
                            .predict(
                                    "/predictions/digits",
                                    Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png")),
                                    "POST")
                            .statusCode());
        }
    }

    private static HttpResponse<String> predict(String path) throws Exception {
        return server.predict(path, Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png")), "POST");
    }

    private static String assertInvalid(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("InvalidModelException", error.get("type").asText());
        return error.get("message").asText();
    }
}
