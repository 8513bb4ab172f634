package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchServe's management API on port 8081: every call, its parameters, status codes and
 * messages; scaling and switching versions under load without a failed request; a full queue;
 * and the snapshot bringing the registered models back after a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SETTINGS = {"load_models=digits.mar", "enable_model_api=true", "job_queue_size=4"};

    @TempDir
    static Path root;

    private static Path store;
    private static ServerProcess server;
    private static byte[] digit;
    private static byte[] scene;

    @BeforeAll
    static void start() throws Exception {
        store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("digits_v2.mar"), "digits", "2.0", "convnet_digits.onnx", "image_classifier");
        Archives.model(
                store.resolve("segmenter.mar"),
                Archives.SHAPES_SEGMENTER,
                "segmenter",
                "1.0",
                "shapes_segmenter.pt",
                "image_segmenter",
                "");
        digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        scene = Reference.input(
                Archives.SHAPES_SEGMENTER,
                Reference.cases(Archives.SHAPES_SEGMENTER).get(0));
        server = ServerProcess.start(root, store, SETTINGS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Order(1)
    void describeAnswersTorchServesFields() throws Exception {
        JsonNode d = ok(manage("GET", "/models/digits")).get(0);

        assertEquals("digits", d.get("modelName").asText());
        assertEquals("1.0", d.get("modelVersion").asText());
        assertEquals("digits.mar", d.get("modelUrl").asText());
        assertTrue(d.get("loadedAtStartup").asBoolean());
        assertEquals(1, d.get("minWorkers").asInt());
        assertEquals(120, d.get("responseTimeout").asInt());
        assertEquals("READY", d.get("workers").get(0).get("status").asText());
        assertTrue(d.get("workers").get(0).get("memoryUsage").asLong() > 0);
        assertEquals(4, d.get("jobQueueStatus").get("remainingCapacity").asInt());
    }

    @Test
    @Order(2)
    void registerRefusesBadParameters() throws Exception {
        assertError(manage("POST", "/models"), 400, "BadRequestException", "Parameter url is required.");
        assertError(manage("POST", "/models?url=nope.mar"), 404, "ModelNotFoundException", "not in the model store");
        assertError(manage("POST", "/models?url=http://example.com/x.mar"), 400, "BadRequestException", "not allowed");
        assertError(
                manage("POST", "/models?url=../config.properties"),
                404,
                "ModelNotFoundException",
                "not in the model store");
        assertError(
                manage("POST", "/models?url=digits_v2.mar&runtime=java"), 400, "BadRequestException", "RuntimeType");
        assertError(
                manage("POST", "/models?url=digits_v2.mar&batch_size=abc"), 400, "BadRequestException", "batch_size");
        assertError(manage("POST", "/models?url=digits_v2.mar&batch_size=0"), 400, "BadRequestException", "batchSize");
        assertError(
                manage("POST", "/models?url=digits_v2.mar&batch_policy=sometimes"),
                400,
                "BadRequestException",
                "batchPolicy");
        assertError(manage("POST", "/models?url=digits.mar"), 409, "ConflictStatusException", "already registered");
    }

    @Test
    @Order(3)
    void versionsAreRegisteredSwitchedAndRemoved() throws Exception {
        assertRegistered(
                "url=digits_v2.mar&initial_workers=1&synchronous=true",
                "Model \"digits\" Version: 2.0 registered with 1 initial workers");
        assertEquals(2, ok(manage("GET", "/models/digits/all")).size());
        assertFalse(ok(manage("GET", "/models/digits/2.0"))
                .get(0)
                .get("loadedAtStartup")
                .asBoolean());

        List<String> failures = underLoad(() -> {
            assertEquals(200, manage("PUT", "/models/digits/2.0/set-default").statusCode());
            assertEquals(
                    "OnnxRuntime",
                    ok(manage("GET", "/models/digits")).get(0).get("engine").asText());
            assertEquals(200, manage("PUT", "/models/digits/1.0/set-default").statusCode());
            assertEquals(200, manage("PUT", "/models/digits/2.0/set-default").statusCode());
        });
        assertEquals(List.of(), failures);
        assertEquals(
                "Default version successfully updated for model \"digits\" to \"2.0\"",
                status(manage("PUT", "/models/digits/2.0/set-default")));
        assertError(manage("PUT", "/models/digits/9.9/set-default"), 404, "ModelVersionNotFoundException", "9.9");

        assertError(
                manage("DELETE", "/models/digits/2.0"),
                400,
                "InvalidModelVersionException",
                "Cannot remove default version for model digits");
        manage("PUT", "/models/digits/1.0/set-default");
        assertEquals("Model \"digits\" unregistered", status(manage("DELETE", "/models/digits/2.0")));
        assertError(manage("GET", "/models/digits/2.0"), 404, "ModelVersionNotFoundException", "2.0");
        assertError(manage("DELETE", "/models/nope"), 404, "ModelNotFoundException", "nope");
    }

    @Test
    @Order(4)
    void workersScaleUpAndDownUnderLoad() throws Exception {
        assertError(
                manage("PUT", "/models/digits?min_worker=3&max_worker=2"),
                400,
                "BadRequestException",
                "max_worker cannot be less than min_worker.");
        assertError(manage("PUT", "/models/digits?min_worker=abc"), 400, "BadRequestException", "min_worker");
        assertError(manage("PUT", "/models/nope?min_worker=1"), 404, "ModelNotFoundException", "nope");

        List<String> failures = underLoad(() -> {
            assertEquals(
                    "Workers scaled to 3 for model: digits",
                    status(manage("PUT", "/models/digits?min_worker=3&synchronous=true")));
            assertEquals(
                    3, ok(manage("GET", "/models/digits")).get(0).get("workers").size());
            HttpResponse<String> down = manage("PUT", "/models/digits/1.0?min_worker=1");
            assertEquals(202, down.statusCode());
            assertEquals("Processing worker updates...", status(down));
        });

        assertEquals(List.of(), failures);
        assertEquals(
                1, ok(manage("GET", "/models/digits")).get(0).get("workers").size());
    }

    @Test
    @Order(5)
    void listIsPaged() throws Exception {
        for (String name : List.of("p1", "p2", "p3")) {
            assertEquals(
                    202,
                    manage(
                                    "POST",
                                    "/models?url=digits.mar&synchronous=false&model_name=" + name
                                            + (name.equals("p1") ? "&batch_size=4&batch_policy=fixed" : ""))
                            .statusCode());
        }

        JsonNode first = ok(manage("GET", "/models?limit=2"));
        assertEquals("2", first.get("nextPageToken").asText());
        assertEquals(List.of("digits", "p1"), names(first));
        JsonNode second = ok(manage("GET", "/models?limit=2&next_page_token=2"));
        assertEquals(List.of("p2", "p3"), names(second));
        assertFalse(second.has("nextPageToken"));
    }

    @Test
    @Order(6)
    void fullQueueAnswers503AndLosesNoAcceptedRequest() throws Exception {
        assertEquals(
                200,
                manage("POST", "/models?url=segmenter.mar&synchronous=true").statusCode());
        int clients = 24;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> server.predict("/predictions/segmenter?output=compact", scene, "PUT")));
        }
        int ok = 0;
        int busy = 0;
        String expected = null;
        for (Future<HttpResponse<String>> future : futures) {
            HttpResponse<String> response = future.get();
            if (response.statusCode() == 200) {
                ok++;
                expected = expected == null ? response.body() : expected;
                assertEquals(expected, response.body(), "every accepted request is answered in full");
            } else {
                busy++;
                assertError(response, 503, "ServiceUnavailableException", "job queue of 4 requests is full");
            }
        }
        pool.shutdown();
        assertTrue(busy > 0, "a queue of 4 overflows under 24 clients");
        assertTrue(ok >= 5, "the worker's batch and the 4 queued requests are answered: " + ok);
    }

    @Test
    @Order(7)
    void snapshotBringsRegisteredModelsBackAfterACrash() throws Exception {
        manage("PUT", "/models/p1?min_worker=2&synchronous=true");
        server.kill();

        server = ServerProcess.start(root, store, SETTINGS);

        JsonNode p1 = ok(manage("GET", "/models/p1")).get(0);
        assertEquals(2, p1.get("minWorkers").asInt());
        assertEquals("fixed", p1.get("batchPolicy").asText());
        assertEquals(
                "adaptive",
                ok(manage("GET", "/models/p2")).get(0).get("batchPolicy").asText());
        assertTrue(p1.get("loadedAtStartup").asBoolean());
        assertEquals(List.of("digits", "p1", "p2", "p3", "segmenter"), names(ok(manage("GET", "/models"))));
        assertTrue(server.log().contains("Restoring 5 models from the snapshot"), server.log());
    }

    @Test
    @Order(8)
    void scaleRacingUnregisterAndRegisterAnswers404NotA500() throws Exception {
        // Each round registers "racer" and, at once, scales it (waiting for its workers, and not)
        // and deletes it: a version closed between lookup and scale must answer 404.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + 30_000_000_000L;
        int rounds = 0;
        for (; rounds < 25 && System.nanoTime() < deadline; rounds++) {
            manage("POST", "/models?url=digits.mar&model_name=racer&initial_workers=1");
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (String[] call : List.of(
                    new String[] {"PUT", "/models/racer?min_worker=2&synchronous=true"},
                    new String[] {"PUT", "/models/racer/1.0?min_worker=1"},
                    new String[] {"GET", "/models/racer"},
                    new String[] {"DELETE", "/models/racer"})) {
                calls.add(pool.submit(() -> manage(call[0], call[1])));
            }
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get();
                if (!List.of(200, 202, 404).contains(response.statusCode())) {
                    unexpected.add(response.statusCode() + " " + response.body());
                }
            }
            manage("DELETE", "/models/racer");
        }
        pool.shutdown();
        assertTrue(rounds >= 5, "rounds run: " + rounds);
        assertEquals(List.of(), unexpected);
        assertError(manage("GET", "/models/racer"), 404, "ModelNotFoundException", "racer");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} while a client keeps predicting; returns the failed predictions. */
    private static List<String> underLoad(Step step) throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> response = server.predict("/predictions/digits", digit, "PUT");
                    if (response.statusCode() != 200) {
                        failures.add(response.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        client.start();
        try {
            Thread.sleep(100);
            step.run();
            Thread.sleep(300);
        } finally {
            running.set(false);
            client.join();
        }
        return failures;
    }

    @Test
    @Order(9)
    void registerIsSynchronousByDefaultAsTorchServes() throws Exception {
        assertRegistered(
                "url=digits.mar&model_name=sync&initial_workers=1",
                "Model \"sync\" Version: 1.0 registered with 1 initial workers");
        assertEquals(
                "READY",
                ok(manage("GET", "/models/sync"))
                        .get(0)
                        .get("workers")
                        .get(0)
                        .get("status")
                        .asText());
        assertEquals(
                202,
                manage("POST", "/models?url=digits.mar&model_name=async&synchronous=false")
                        .statusCode());

        // Workers that do not start within startup_timeout undo the registration, as in TorchServe.
        assertError(
                manage("POST", "/models?url=digits.mar&model_name=late&initial_workers=1&startup_timeout=0"),
                500,
                "InternalServerException",
                "Failed to start workers for model late");
        assertError(manage("GET", "/models/late"), 404, "ModelNotFoundException", "late");
        // A handler that no bundle provides fails a synchronous scale after the handler grace, not 120 s.
        assertEquals(
                200,
                manage(
                                "POST",
                                "/models?url=digits.mar&model_name=nohandler&handler=invalidHandler"
                                        + "&initial_workers=0")
                        .statusCode());
        long start = System.nanoTime();
        assertError(
                manage("PUT", "/models/nohandler?min_worker=1&synchronous=true"),
                500,
                "InternalServerException",
                "invalidHandler");
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "answered within the handler grace");
        for (String name : List.of("sync", "async", "nohandler")) {
            assertEquals(200, manage("DELETE", "/models/" + name).statusCode());
        }
    }

    @Test
    @Order(10)
    void describeGivesWorkersAsTorchServeWritesThem() throws Exception {
        JsonNode d = ok(manage("GET", "/models/digits")).get(0);
        assertEquals(120, d.get("startupTimeout").asInt());
        JsonNode worker = d.get("workers").get(0);
        // Milliseconds, as Python's strptime(..., "%Y-%m-%dT%H:%M:%S.%fZ") reads them.
        assertTrue(
                worker.get("startTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                worker.toString());
        assertEquals(server.pid(), worker.get("pid").asLong());
        // Each worker's share of the process, not the whole process for each: digits and the segmenter
        // have a worker each at least.
        long memory = worker.get("memoryUsage").asLong();
        assertTrue(memory > 0 && memory <= server.residentBytes() * 3 / 4, worker + " of " + server.residentBytes());

        List<String> queueMetrics = queueMetrics("digits");
        assertFalse(queueMetrics.isEmpty(), "digits has queue metrics");
        JsonNode customized =
                ok(manage("GET", "/models/digits?customized=true")).get(0);
        // The description goes through the queue to a worker's handler, but is no prediction.
        assertEquals(queueMetrics, queueMetrics("digits"), "a customized describe left the queue metrics as they were");
        assertTrue(customized.get("customizedMetadata").isObject(), customized.toString());
        assertEquals(0, customized.get("customizedMetadata").size(), "image_classifier describes nothing of its own");
    }

    /** @return the model's samples of the queue metrics, Serval's and TorchServe's */
    private static List<String> queueMetrics(String model) throws Exception {
        return server.get(server.metricsPort, "/metrics")
                .body()
                .lines()
                .filter(line -> !line.startsWith("#")
                        && line.contains("\"" + model + "\"")
                        && line.toLowerCase(Locale.ROOT).contains("queue"))
                .toList();
    }

    private static HttpResponse<String> manage(String method, String path) throws Exception {
        return server.send(method, server.managementPort, path);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Registers with a 200 and TorchServe's message. */
    private static void assertRegistered(String query, String message) throws Exception {
        HttpResponse<String> registered = manage("POST", "/models?" + query);
        assertEquals(200, registered.statusCode(), registered.body());
        assertEquals(message, status(registered));
    }

    private static String status(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("status").asText();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("models").forEach(m -> names.add(m.get("modelName").asText()));
        return names;
    }

    private static void assertError(HttpResponse<String> response, int code, String type, String message)
            throws Exception {
        assertEquals(code, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(code, error.get("code").asInt());
        assertEquals(type, error.get("type").asText(), response.body());
        assertTrue(error.get("message").asText().contains(message), response.body());
    }
}
