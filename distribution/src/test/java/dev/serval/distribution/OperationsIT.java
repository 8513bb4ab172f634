package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators and orchestrators see of a running server: its metrics, over HTTP against the
 * built distribution.
 */
class OperationsIT {

    private static final String DIGITS = "{model_name=\"digits\",model_version=\"1.0\"}";

    @TempDir
    static Path root;
    private static ServerProcess server;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void metricsCountTheRequestsSent() throws Exception {
        PrometheusText before = scrape();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        }
        assertEquals(400, server.predict("/predictions/digits", new byte[] {1, 2, 3}, "PUT").statusCode());
        assertEquals(404, server.predict("/predictions/nothing", png, "PUT").statusCode());

        PrometheusText after = scrape();

        assertEquals(5, delta(before, after, "ts_inference_requests_total" + DIGITS), after.toString());
        assertEquals(5, delta(before, after, "ts_queue_latency_microseconds_count" + DIGITS));
        // the bad image failed in the handler: four requests were answered by it
        assertEquals(4, delta(before, after, "ts_inference_latency_microseconds_count" + DIGITS));
        assertEquals(4, delta(before, after, "serval_batch_size_count" + DIGITS));
        assertEquals(4, delta(before, after, "Requests2XX_total{Level=\"Host\"}"));
        assertEquals(2, delta(before, after, "Requests4XX_total{Level=\"Host\"}"));
        assertEquals(0, delta(before, after, "Requests5XX_total{Level=\"Host\"}"));
        assertTrue(after.count("ts_inference_latency_microseconds_sum" + DIGITS) > 0);
        assertEquals(1, after.count("serval_workers_ready" + DIGITS));
        assertEquals(0, after.count("serval_queue_depth" + DIGITS));
        assertTrue(after.count("serval_model_load_seconds" + DIGITS) > 0);
        assertTrue(after.count("jvm_memory_used_bytes{area=\"heap\"}") > 0, after.toString());
        assertTrue(after.count("jvm_threads_current") > 0);
    }

    @Test
    void metricsAreFilteredByName() throws Exception {
        HttpResponse<String> response = server.get(server.metricsPort,
                "/metrics?name%5B%5D=ts_inference_requests_total&name%5B%5D=jvm_threads_current");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        PrometheusText text = new PrometheusText(response.body());
        assertTrue(text.hasFamily("ts_inference_requests_total"), response.body());
        assertTrue(text.hasFamily("jvm_threads_current"), response.body());
        assertEquals(2, response.body().lines().filter(l -> l.startsWith("# TYPE")).count(), response.body());
    }

    private static PrometheusText scrape() throws Exception {
        HttpResponse<String> response = server.get(server.metricsPort, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return new PrometheusText(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String series) {
        return after.count(series) - before.count(series);
    }
}
