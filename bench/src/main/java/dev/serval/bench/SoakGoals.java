package dev.serval.bench;

import java.util.List;
import java.util.Locale;

/** The soak goals, checked against a run's figures. */
final class SoakGoals {

    /** Fewer samples after the warm-up give no trend worth the name. */
    static final int MIN_SAMPLES = 3;

    private SoakGoals() {}

    /**
     * @param warmup the load during the warm-up
     * @param measured the load after it
     * @param samples how many samples were taken after the warm-up
     * @param heap heap after a full collection, MB, after the warm-up
     * @param resident resident memory, MB, after the warm-up
     * @param threads threads, after the warm-up
     * @param openFiles open file descriptors, after the warm-up
     * @param limits what the trends must stay within
     * @return every goal, with whether it is met
     */
    static List<Results.Goal> check(
            ConcurrentRun.Result warmup,
            ConcurrentRun.Result measured,
            int samples,
            SoakResults.Series heap,
            SoakResults.Series resident,
            SoakResults.Series threads,
            SoakResults.Series openFiles,
            Limits limits) {
        long errors = warmup.errors() + measured.errors();
        return List.of(
                new Results.Goal(
                        "request errors (anything but 200), warm-up included",
                        String.valueOf(errors),
                        "0",
                        errors == 0),
                new Results.Goal(
                        "samples after the warm-up",
                        String.valueOf(samples),
                        "≥ " + MIN_SAMPLES,
                        samples >= MIN_SAMPLES),
                growth(threads, limits.countGrowth()),
                growth(openFiles, limits.countGrowth()),
                slope(heap, limits.heapMbPerMinute()),
                slope(resident, limits.residentMbPerMinute()));
    }

    private static Results.Goal growth(SoakResults.Series series, int limit) {
        double growth = series.end() - series.start();
        return new Results.Goal(
                series.name() + ": last − first sample after the warm-up",
                format("%+.0f", growth),
                format("≤ %+d", limit),
                growth <= limit);
    }

    private static Results.Goal slope(SoakResults.Series series, double limit) {
        return new Results.Goal(
                series.name() + ": slope after the warm-up",
                format("%+.2f MB/min", series.slopePerMinute()),
                format("≤ %.1f MB/min", limit),
                series.slopePerMinute() <= limit);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /**
     * @param heapMbPerMinute the greatest slope of the heap after a full collection
     * @param residentMbPerMinute the greatest slope of resident memory
     * @param countGrowth the most threads or file descriptors the last sample may have over the first
     */
    record Limits(double heapMbPerMinute, double residentMbPerMinute, int countGrowth) {}
}
