package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpPointTest {

    @Test
    void theMedianRoundIsKeptWholeWithEveryRoundsThroughput() {
        Results.HttpPoint median = Results.HttpPoint.median(
                List.of(point(1900, 0.40, 0, null), point(1200, 0.70, 0, null), point(1500, 0.55, 0, null)));

        assertEquals(1500, median.throughput());
        // The median round's own figures, not a mix of rounds.
        assertEquals(0.55, median.serverCpuMsPerRequest());
        assertEquals(0.55, median.latency().p50Ms());
        assertEquals(List.of(1900.0, 1200.0, 1500.0), median.roundThroughputs());
        assertNull(median.firstError());
    }

    @Test
    void ofAnEvenCountTheLowerMiddleRoundIsKept() {
        Results.HttpPoint median =
                Results.HttpPoint.median(List.of(point(1800, 0.4, 0, null), point(1300, 0.6, 0, null)));

        assertEquals(1300, median.throughput());
    }

    @Test
    void errorsOfEveryRoundCountNotOnlyTheMedians() {
        Results.HttpPoint median = Results.HttpPoint.median(List.of(
                point(1900, 0.4, 0, null), point(1500, 0.5, 0, null), point(100, 9.0, 3, "connection refused")));

        assertEquals(1500, median.throughput());
        assertEquals(3, median.errors());
        assertEquals("connection refused", median.firstError());
    }

    private static Results.HttpPoint point(double throughput, double ms, long errors, String firstError) {
        return new Results.HttpPoint(
                8,
                throughput,
                new Latencies.Summary(1000, ms, ms, ms),
                errors,
                firstError,
                ms,
                0.1,
                20,
                7.9,
                List.of(throughput));
    }
}
