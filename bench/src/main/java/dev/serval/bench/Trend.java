package dev.serval.bench;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** How a sampled figure moved over a run: where it started and ended, and its Theil–Sen slope. */
final class Trend {

    private Trend() {}

    /**
     * @param name what was sampled
     * @param samples the samples after the warm-up, in time order
     * @param value the figure of a sample
     * @return its first and last values, range, and slope per minute; NaN where there are too few
     */
    static SoakResults.Series of(
            String name, List<SoakSampler.Sample> samples, ToDoubleFunction<SoakSampler.Sample> value) {
        double[] minutes = samples.stream().mapToDouble(s -> s.seconds() / 60).toArray();
        double[] values = samples.stream().mapToDouble(value).toArray();
        if (values.length == 0) {
            return new SoakResults.Series(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        DoubleSummaryStatistics range = Arrays.stream(values).summaryStatistics();
        return new SoakResults.Series(
                name, values[0], values[values.length - 1], range.getMin(), range.getMax(), slope(minutes, values));
    }

    /**
     * The Theil–Sen slope: the median of the slopes between every pair of points. A straight line's
     * slope comes out exact, as with least squares, but one sample far off the line (a collection
     * that caught a burst in flight, a pool that shrank just then) moves it little, where it can
     * tip a least-squares slope over a limit in a run of ten samples.
     *
     * @param x the abscissas, strictly increasing
     * @param y the values
     * @return the slope of y over x; NaN for fewer than two points
     */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        double[] pairs = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs[k++] = (y[j] - y[i]) / (x[j] - x[i]);
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        Arrays.sort(pairs);
        return k % 2 == 1 ? pairs[k / 2] : (pairs[k / 2 - 1] + pairs[k / 2]) / 2;
    }
}
