package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a model that goes leaves nothing behind. Once unregistered or undeployed its series
 * are gone from {@code /metrics}; once the server is stopped by SIGTERM, every model it served
 * (from the model store, a register call, the deploy folder) is closed and {@code work/models/},
 * where archives are extracted, is empty.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsGoneIT {

    @TempDir
    static Path root;

    private static Path staging;
    private static ServerProcess server;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        staging = Files.createDirectories(root.resolve("staging"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("registered.mar"), "registered", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        server = ServerProcess.start(root, store, "load_models=digits.mar", "enable_model_api=true");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @Order(1)
    void anUnregisteredModelsSeriesAreGoneFromMetrics() throws Exception {
        register("registered");
        assertEquals(200, server.predict("/predictions/registered", png, "PUT").statusCode());
        assertSeries("registered", true);

        assertEquals(
                200,
                server.send("DELETE", server.managementPort, "/models/registered/1.0")
                        .statusCode());

        assertSeries("registered", false);
        assertSeries("digits", true);
    }

    @Test
    @Order(2)
    void aRemovedDeployFilesSeriesAreGoneFromMetrics() throws Exception {
        Path deployed = deploy("hot");
        assertEquals(200, server.predict("/predictions/hot", png, "PUT").statusCode());
        assertSeries("hot", true);

        Files.delete(deployed);
        ServerProcess.waitFor(
                () -> server.predict("/predictions/hot", png, "PUT").statusCode() == 404);

        assertSeries("hot", false);
    }

    @Test
    @Order(3)
    void aStopClosesEveryModelAndLeavesWorkModelsEmpty() throws Exception {
        register("registered");
        deploy("kept");
        Path extracted = server.workDir.resolve("models");
        assertEquals(3, entries(extracted).size(), "digits.mar, registered.mar and kept.mar extracted");

        server.close();

        assertEquals(List.of(), entries(extracted), "left in work/models after SIGTERM");
    }

    private static void register(String name) throws Exception {
        assertEquals(
                200,
                server.send("POST", server.managementPort, "/models?url=" + name + ".mar&synchronous=true")
                        .statusCode());
        ServerProcess.waitFor(
                () -> server.predict("/predictions/" + name, png, "PUT").statusCode() == 200);
    }

    private static Path deploy(String name) throws Exception {
        Path deployed = server.deployDir.resolve(name + ".mar");
        Files.move(
                Archives.digits(staging.resolve(name + ".mar"), name, "1.0", "convnet_digits.pt", "image_classifier"),
                deployed);
        ServerProcess.waitFor(
                () -> server.predict("/predictions/" + name, png, "PUT").statusCode() == 200);
        return deployed;
    }

    /** Asserts that {@code /metrics} has series of the model (request counts, latencies, gauges), or none. */
    private static void assertSeries(String model, boolean present) throws Exception {
        String label = "model_name=\"" + model + "\"";
        List<String> series = server.get(server.metricsPort, "/metrics")
                .body()
                .lines()
                .filter(line -> line.contains(label))
                .toList();
        if (present) {
            for (String metric : List.of(
                    "ts_inference_requests_total{",
                    "ts_inference_latency_microseconds{",
                    "ts_queue_latency_microseconds{",
                    "serval_requests_total{",
                    "serval_inference_duration_seconds_count{",
                    "serval_queue_wait_seconds_count{",
                    "serval_batch_size_count{",
                    "serval_workers_ready{")) {
                assertTrue(series.stream().anyMatch(line -> line.startsWith(metric)), metric + " of " + model);
            }
        } else {
            assertEquals(List.of(), series, "series of " + model + " left");
        }
    }

    private static List<Path> entries(Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
