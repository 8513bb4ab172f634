package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTextTest {

    private static final String COUNTER = "serval_jvm_allocated_bytes_total";

    @Test
    void bytesPerRequestFromTwoScrapes() {
        MetricsText before = scrape("1.0E9");
        MetricsText after = scrape("1.05E9");

        assertEquals(12_500, MetricsText.perRequest(COUNTER, before, after, 4_000));
    }

    @Test
    void notANumberWithoutTheCounterOrWithoutRequests() {
        MetricsText without = new MetricsText("# TYPE jvm_threads_current gauge\njvm_threads_current 12.0\n");

        assertFalse(without.has(COUNTER));
        assertTrue(Double.isNaN(MetricsText.perRequest(COUNTER, without, scrape("2.0"), 10)));
        assertTrue(Double.isNaN(MetricsText.perRequest(COUNTER, scrape("1.0"), scrape("2.0"), 0)));
    }

    @Test
    void aLongerNameIsNotTheCounter() {
        MetricsText text = new MetricsText(COUNTER + "_created 1.7E9\n");

        assertFalse(text.has(COUNTER));
    }

    private static MetricsText scrape(String value) {
        return new MetricsText("# HELP " + COUNTER + " Bytes allocated\n# TYPE " + COUNTER + " counter\n" + COUNTER
                + " " + value + "\n");
    }
}
