package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {

    @Test
    void slopeOfNoisyLine() {
        // y = 2x + 1, the noise alternating ±0.5: the fit recovers the slope, last − first would not.
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {1.5, 2.5, 5.5, 6.5, 9.5, 10.5};
        assertEquals(2.0, Trend.slope(x, y), 0.2);
        assertEquals(3.0, Trend.slope(new double[] {0, 2}, new double[] {1, 7}), 1e-12);
        assertTrue(Double.isNaN(Trend.slope(new double[] {1}, new double[] {1})));
        assertTrue(Double.isNaN(Trend.slope(new double[0], new double[0])));
    }

    @Test
    void oneSampleFarOffMovesTheSlopeLittle() {
        // Flat at 21 MB but for the last sample, 2 MB low: least squares reads −0.11 a step, about
        // the −1.5 MB/min seen in a soak; the median of the pairwise slopes stays at 0.
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] flat = {21, 21, 21, 21, 21, 21, 21, 21, 21, 19};
        assertEquals(0.0, Trend.slope(x, flat), 1e-12);
        // A steady leak under the same outlier is still read at its rate.
        double[] leak = {21, 22, 23, 24, 25, 26, 27, 28, 29, 20};
        assertEquals(1.0, Trend.slope(x, leak), 1e-12);
    }

    @Test
    void seriesPerMinuteFromSamples() {
        List<SoakSampler.Sample> samples = List.of(
                new SoakSampler.Sample(30, 100, 900, 80, 120),
                new SoakSampler.Sample(60, 101, 902, 81, 120),
                new SoakSampler.Sample(90, 102, 901, 80, 121));
        SoakResults.Series heap = Trend.of("heap", samples, SoakSampler.Sample::heapMb);
        assertEquals(100, heap.start());
        assertEquals(102, heap.end());
        assertEquals(100, heap.min());
        assertEquals(102, heap.max());
        assertEquals(2.0, heap.slopePerMinute(), 1e-9);
        assertTrue(Double.isNaN(
                Trend.of("none", List.of(), SoakSampler.Sample::heapMb).slopePerMinute()));
    }
}
