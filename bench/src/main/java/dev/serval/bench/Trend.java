package dev.serval.bench;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** How a sampled figure moved over a run: where it started and ended, and its least-squares slope. */
final class Trend {

    private Trend() {
    }

    /**
     * @param name what was sampled
     * @param samples the samples after the warm-up, in time order
     * @param value the figure of a sample
     * @return its first and last values, range, and slope per minute; NaN where there are too few
     */
    static SoakResults.Series of(String name, List<SoakSampler.Sample> samples,
            ToDoubleFunction<SoakSampler.Sample> value) {
        double[] minutes = samples.stream().mapToDouble(s -> s.seconds() / 60).toArray();
        double[] values = samples.stream().mapToDouble(value).toArray();
        if (values.length == 0) {
            return new SoakResults.Series(name, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        DoubleSummaryStatistics range = Arrays.stream(values).summaryStatistics();
        return new SoakResults.Series(name, values[0], values[values.length - 1], range.getMin(), range.getMax(),
                slope(minutes, values));
    }

    /**
     * The ordinary least-squares slope: that of the straight line nearest to all the points, so that
     * one noisy sample at either end moves it little, as it would move last minus first.
     *
     * @param x the abscissas, not all equal
     * @param y the values
     * @return the slope of y over x; NaN for fewer than two points
     */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += x[i] / n;
            meanY += y[i] / n;
        }
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }
        return covariance / variance;
    }
}
