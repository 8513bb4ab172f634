package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankPercentiles() {
        Latencies latencies = new Latencies();
        // 100 down to 1 ms, recorded out of order, past the initial capacity's growth.
        for (int ms = 100; ms >= 1; ms--) {
            latencies.record(ms * 1_000_000L);
        }
        assertEquals(100, latencies.count());
        assertEquals(50.0, latencies.percentileMs(50));
        assertEquals(90.0, latencies.percentileMs(90));
        assertEquals(99.0, latencies.percentileMs(99));
        assertEquals(100.0, latencies.percentileMs(100));
        assertEquals(1.0, latencies.percentileMs(0.5));
    }

    @Test
    void mergedAcrossThreadsAndGrown() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.record(1_000_000);
            b.record(3_000_000);
        }
        a.addAll(b);
        Latencies.Summary summary = a.summary();
        assertEquals(6000, summary.count());
        assertEquals(1.0, summary.p50Ms());
        assertEquals(3.0, summary.p90Ms());
    }

    @Test
    void emptyAndOutOfRange() {
        assertTrue(Double.isNaN(new Latencies().percentileMs(50)));
        assertThrows(IllegalArgumentException.class, () -> new Latencies().percentileMs(0));
        assertThrows(IllegalArgumentException.class, () -> new Latencies().percentileMs(101));
    }
}
