package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code /metrics} serves TorchServe's default frontend metrics under their exact names,
 * types and labels, for the dashboards built for TorchServe, beside Serval's own named as
 * Prometheus' conventions ask, latencies as histograms in seconds; once a model is unregistered,
 * neither family keeps a series of it.
 */
class MetricsFamiliesIT {

    private static final String DIGITS = "{model_name=\"digits\",model_version=\"1.0\"}";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] png;
    private static String hostname;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("gone.mar"), "gone", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        hostname = InetAddress.getLocalHost().getHostName();
        server = ServerProcess.start(root, store, "load_models=digits.mar", "enable_model_api=true");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void torchServesMetricsHaveItsNamesTypesLabelsAndPlausibleValues() throws Exception {
        PrometheusText before = scrape();
        long clientNanos = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
            clientNanos += System.nanoTime() - start;
        }
        PrometheusText after = scrape();

        Map<String, String> types = after.types();
        for (String counter : List.of(
                "Requests2XX",
                "Requests4XX",
                "Requests5XX",
                "ts_inference_requests_total",
                "ts_inference_latency_microseconds",
                "ts_queue_latency_microseconds")) {
            assertEquals("counter", types.get(counter), counter + " in\n" + after);
        }
        assertEquals("gauge", types.get("QueueTime"));
        assertEquals("gauge", types.get("WorkerLoadTime"));
        String host = "{Level=\"Host\",Hostname=\"" + hostname + "\"}";
        String version = "{model_name=\"digits\",model_version=\"1.0\",hostname=\"" + hostname + "\"}";
        assertEquals(5, delta(before, after, "Requests2XX" + host), after.toString());
        assertEquals(5, delta(before, after, "ts_inference_requests_total" + version));
        // TorchServe's inference latency runs from arrival to answer: the queue's time and the handler's
        double inferenceMicros = delta(before, after, "ts_inference_latency_microseconds" + version);
        double queueMicros = delta(before, after, "ts_queue_latency_microseconds" + version);
        double handlerMicros = delta(before, after, "serval_inference_duration_seconds_sum" + DIGITS) * 1e6;
        assertEquals(delta(before, after, "serval_queue_wait_seconds_sum" + DIGITS) * 1e6, queueMicros, 1);
        assertEquals(handlerMicros + queueMicros, inferenceMicros, 1);
        assertTrue(
                handlerMicros > 0 && inferenceMicros < clientNanos / 1_000.0,
                inferenceMicros + " µs served of " + clientNanos / 1_000.0 + " µs measured by the client");
        assertTrue(after.value("QueueTime" + host).isPresent(), after.toString());
        assertTrue(
                after.toString()
                        .lines()
                        .anyMatch(line -> line.startsWith("WorkerLoadTime{WorkerName=\"W-")
                                && line.contains("-digits_1.0\",Level=\"Host\",Hostname=\"" + hostname + "\"} ")),
                after.toString());
    }

    @Test
    void servalsOwnMetricsFollowPrometheusConventionsWithSecondsHistograms() throws Exception {
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        PrometheusText text = scrape();

        Map<String, String> types = text.types();
        assertEquals("histogram", types.get("serval_inference_duration_seconds"), text.toString());
        assertEquals("histogram", types.get("serval_queue_wait_seconds"));
        assertEquals("histogram", types.get("serval_batch_size"));
        types.forEach((family, type) -> {
            if (family.startsWith("serval_")) {
                // what promtool check metrics asks: base units, counters named _total
                assertTrue(!family.contains("micro") && !family.contains("milli"), family);
                assertTrue(
                        !type.equals("counter") || family.endsWith("_total") || text.hasSample(family + "_total"),
                        family + " is a counter without _total");
            }
        });
        List<String> bounds = text.toString()
                .lines()
                .filter(line -> line.startsWith("serval_inference_duration_seconds_bucket{model_name=\"digits\","))
                .map(line -> line.replaceAll(".*le=\"([^\"]*)\".*", "$1"))
                .toList();
        assertTrue(bounds.contains("0.1") && bounds.contains("+Inf"), bounds.toString());
        assertTrue(
                bounds.stream()
                        .filter(bound -> !bound.equals("+Inf"))
                        .mapToDouble(Double::parseDouble)
                        .allMatch(bound -> bound <= 100),
                "bounds in seconds: " + bounds);
        assertEquals(
                text.count("serval_inference_duration_seconds_count" + DIGITS),
                text.count("serval_inference_duration_seconds_bucket{model_name=\"digits\",model_version=\"1.0\","
                        + "le=\"+Inf\"}"));
    }

    @Test
    void anUnregisteredModelLeavesNoSeriesInEitherFamily() throws Exception {
        assertEquals(
                200,
                server.send("POST", server.managementPort, "/models?url=gone.mar&synchronous=true")
                        .statusCode());
        ServerProcess.waitFor(
                () -> server.predict("/predictions/gone", png, "PUT").statusCode() == 200);
        List<String> series = seriesOf("gone");
        for (String metric : List.of(
                "ts_inference_requests_total{",
                "ts_inference_latency_microseconds{",
                "ts_queue_latency_microseconds{",
                "WorkerLoadTime{",
                "serval_requests_total{",
                "serval_inference_duration_seconds_bucket{",
                "serval_workers_ready{")) {
            assertTrue(series.stream().anyMatch(line -> line.startsWith(metric)), metric + " in " + series);
        }

        assertEquals(
                200,
                server.send("DELETE", server.managementPort, "/models/gone/1.0").statusCode());

        assertEquals(List.of(), seriesOf("gone"));
        assertTrue(scrape().count("ts_inference_requests_total{model_name=\"digits\",model_version=\"1.0\","
                        + "hostname=\"" + hostname + "\"}")
                > 0);
    }

    /** @return the lines of {@code /metrics} that name the model, by label or in a worker's name */
    private static List<String> seriesOf(String model) throws Exception {
        return scrape().toString()
                .lines()
                .filter(line -> line.contains("model_name=\"" + model + "\"") || line.contains("-" + model + "_1.0\""))
                .toList();
    }

    private static PrometheusText scrape() throws Exception {
        return new PrometheusText(server.get(server.metricsPort, "/metrics").body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String series) {
        return after.count(series) - before.count(series);
    }
}
