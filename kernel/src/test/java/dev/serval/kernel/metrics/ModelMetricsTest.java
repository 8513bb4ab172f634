package dev.serval.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.ServingObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ModelMetrics metrics = new ModelMetrics(registry);

    @Test
    void observationsAppearPerVersionInSeconds() throws Exception {
        ServingObserver digits = metrics.observerFor("digits", "1.0");
        ServingObserver other = metrics.observerFor("digits", "2.0");
        for (int i = 0; i < 3; i++) {
            digits.received();
            digits.dequeued(2_000_000); // 2 ms
        }
        digits.batchServed(3, 7_000_000); // one batch of 3, 7 ms
        other.received();

        String text = scrape();

        assertContains(text, "serval_requests_total{model_name=\"digits\",model_version=\"1.0\"} 3.0");
        assertContains(text, "serval_requests_total{model_name=\"digits\",model_version=\"2.0\"} 1.0");
        assertContains(text, "serval_queue_wait_seconds_count{model_name=\"digits\",model_version=\"1.0\"} 3");
        assertContains(text, "serval_queue_wait_seconds_sum{model_name=\"digits\",model_version=\"1.0\"} 0.006");
        // each request of the batch waited the batch's 7 ms
        assertContains(
                text, "serval_inference_duration_seconds_sum{model_name=\"digits\",model_version=\"1.0\"} 0.021");
        assertContains(
                text,
                "serval_inference_duration_seconds_bucket{model_name=\"digits\",model_version=\"1.0\",le=\"0.005\"} 0");
        assertContains(
                text,
                "serval_inference_duration_seconds_bucket{model_name=\"digits\",model_version=\"1.0\",le=\"0.01\"} 3");
        assertContains(text, "serval_batch_size_bucket{model_name=\"digits\",model_version=\"1.0\",le=\"2.0\"} 0");
        assertContains(text, "serval_batch_size_bucket{model_name=\"digits\",model_version=\"1.0\",le=\"4.0\"} 1");
    }

    @Test
    void aForgottenVersionLeavesNoSeriesAndTheOthersStay() throws Exception {
        ServingObserver gone = metrics.observerFor("digits", "1.0");
        ServingObserver kept = metrics.observerFor("digits", "2.0");
        gone.received();
        gone.dequeued(1_000);
        gone.batchServed(1, 1_000);
        kept.received();

        metrics.forget("digits", "1.0");

        String text = scrape();
        assertTrue(text.lines().noneMatch(line -> line.contains("model_version=\"1.0\"")), text);
        assertContains(text, "serval_requests_total{model_name=\"digits\",model_version=\"2.0\"} 1.0");
    }

    private String scrape() throws Exception {
        return scrape(registry);
    }

    static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertContains(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), () -> "no line " + line + " in\n" + text);
    }
}
