package dev.serval.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.serving.ServingObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TorchServeMetricsTest {

    private final TorchServeMetrics metrics = new TorchServeMetrics(new Catalog(), "box");

    @Test
    void versionsCountUnderTorchServesNamesAsCountersWithoutSuffix() throws Exception {
        ServingObserver digits = metrics.observerFor("digits", "1.0");
        for (int i = 0; i < 3; i++) {
            digits.received();
            digits.dequeued(2_000_000); // 2 ms
        }
        digits.batchServed(3, 7_000_000); // one batch of 3, 7 ms

        String text = scrape(Set.of());

        String labels = "{model_name=\"digits\",model_version=\"1.0\",hostname=\"box\"}";
        assertContains(text, "# TYPE ts_inference_requests_total counter");
        assertContains(text, "ts_inference_requests_total" + labels + " 3.0");
        assertContains(text, "# TYPE ts_queue_latency_microseconds counter");
        assertContains(text, "ts_queue_latency_microseconds" + labels + " 6000.0");
        // arrival to answer, as TorchServe measures it: 3 × (2 ms queued + 7 ms in the handler)
        assertContains(text, "# TYPE ts_inference_latency_microseconds counter");
        assertContains(text, "ts_inference_latency_microseconds" + labels + " 27000.0");
        assertContains(text, "# TYPE QueueTime gauge");
        assertContains(text, "QueueTime{Level=\"Host\",Hostname=\"box\"} 2.0");
    }

    @Test
    void requestsCountByStatusClassAsTorchServeDoes() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        RequestMetrics requests = new RequestMetrics(registry, metrics);
        for (int status : List.of(200, 202, 404, 503, 302)) {
            requests.answered(status);
        }

        String text = scrape(Set.of());

        assertContains(text, "# TYPE Requests2XX counter");
        assertContains(text, "Requests2XX{Level=\"Host\",Hostname=\"box\"} 2.0");
        assertContains(text, "Requests4XX{Level=\"Host\",Hostname=\"box\"} 1.0");
        // TorchServe counts whatever is neither 2XX nor 4XX as 5XX
        assertContains(text, "Requests5XX{Level=\"Host\",Hostname=\"box\"} 2.0");
        String serval = ModelMetricsTest.scrape(registry);
        assertContains(serval, "serval_responses_total{status_class=\"2XX\"} 2.0");
        assertContains(serval, "serval_responses_total{status_class=\"3XX\"} 1.0");
        assertContains(serval, "serval_responses_total{status_class=\"5XX\"} 1.0");
    }

    @Test
    void aForgottenVersionLeavesNoSeries() throws Exception {
        metrics.observerFor("digits", "1.0").received();
        metrics.observerFor("digits", "2.0").received();

        metrics.forget("digits", "1.0");

        String text = scrape(Set.of());
        assertTrue(text.lines().noneMatch(line -> line.contains("model_version=\"1.0\"")), text);
        assertContains(
                text, "ts_inference_requests_total{model_name=\"digits\",model_version=\"2.0\",hostname=\"box\"} 1.0");
    }

    @Test
    void namesPickFamilies() throws Exception {
        metrics.observerFor("digits", "1.0").received();

        String text = scrape(Set.of("ts_inference_requests_total", "jvm_threads_current"));

        assertEquals(
                List.of(
                        "# HELP ts_inference_requests_total Torchserve prometheus counter metric with unit: Count",
                        "# TYPE ts_inference_requests_total counter",
                        "ts_inference_requests_total{model_name=\"digits\",model_version=\"1.0\",hostname=\"box\"} 1.0"),
                text.lines().toList());
    }

    private String scrape(Set<String> names) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out, names);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertContains(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), () -> "no line " + line + " in\n" + text);
    }
}
