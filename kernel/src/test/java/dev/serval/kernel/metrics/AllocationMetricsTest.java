package dev.serval.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocationMetricsTest {

    private static final int ARRAY_BYTES = 8 << 20;

    @Test
    void theCounterIsReadAtEachScrapeUnderItsExposedName() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        long[] allocated = {1234};
        AllocationMetrics.register(registry, () -> allocated[0]);

        assertEquals(1234, value(scrape(registry)));
        allocated[0] = 5678;
        assertEquals(5678, value(scrape(registry)));
    }

    @Test
    void noSeriesWhenTheJvmDoesNotMeasure() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        AllocationMetrics.register(registry, () -> -1);

        assertTrue(
                scrape(registry).lines().noneMatch(line -> line.startsWith(AllocationMetrics.NAME)), scrape(registry));
    }

    @Test
    void anArrayAllocatedBetweenTwoScrapesIsCountedWithoutACollection() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        AllocationMetrics.register(registry);

        double before = value(scrape(registry));
        byte[] array = new byte[ARRAY_BYTES];
        double after = value(scrape(registry));

        assertTrue(after - before >= ARRAY_BYTES, () -> (after - before) + " bytes counted for " + array.length);
        // the scrape itself and the test's own work allocate little besides
        assertTrue(after - before < ARRAY_BYTES + (4 << 20), () -> (after - before) + " bytes counted");
    }

    /** As {@code GET /metrics?name[]=serval_jvm_allocated_bytes_total} picks it. */
    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(Metrics.picked(Set.of(AllocationMetrics.NAME))));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double value(String text) {
        return text.lines()
                .filter(line -> line.startsWith(AllocationMetrics.NAME + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + AllocationMetrics.NAME + " in\n" + text));
    }
}
