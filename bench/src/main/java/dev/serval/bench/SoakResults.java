package dev.serval.bench;

import java.util.List;
import java.util.Map;

/** What a soak measured, as records written to JSON as they are. */
final class SoakResults {

    private SoakResults() {}

    /**
     * @param models the models loaded, in the order the clients are dealt to them
     * @param clients concurrent keep-alive clients
     * @param minutes how long the load ran, warm-up included
     * @param warmupSeconds the first part of the run, left out of the trends
     * @param sampleSeconds the time between samples
     */
    record Settings(List<String> models, int clients, double minutes, double warmupSeconds, double sampleSeconds) {}

    /**
     * @param name what was sampled, with its unit
     * @param start its first value after the warm-up
     * @param end its last value
     * @param min its least value after the warm-up
     * @param max its greatest value after the warm-up
     * @param slopePerMinute its Theil–Sen slope after the warm-up, per minute (the median of the pairwise slopes)
     */
    record Series(String name, double start, double end, double min, double max, double slopePerMinute) {}

    /**
     * @param machine cores, memory, load, JVM
     * @param settings how the soak ran
     * @param readySeconds the server's launch to every model's first answer
     * @param serverLog the server's log
     * @param warmup the load during the warm-up
     * @param measured the load after it
     * @param requestsPerModel the server's own request count per model
     * @param samples every sample, warm-up included
     * @param heap heap after a full collection, MB
     * @param resident resident memory, MB
     * @param threads threads
     * @param openFiles open file descriptors
     * @param goals the checks, with whether each passed
     */
    record Report(
            Map<String, Object> machine,
            Settings settings,
            double readySeconds,
            String serverLog,
            ConcurrentRun.Result warmup,
            ConcurrentRun.Result measured,
            Map<String, Long> requestsPerModel,
            List<SoakSampler.Sample> samples,
            Series heap,
            Series resident,
            Series threads,
            Series openFiles,
            List<Results.Goal> goals) {

        /** @return whether every check passed */
        boolean pass() {
            return goals.stream().allMatch(Results.Goal::pass);
        }
    }
}
