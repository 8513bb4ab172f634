package dev.serval.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run uses, from the command line; every path defaults to its place in a built checkout,
 * relative to the repository root the benchmark is started from.
 *
 * @param dist the built distribution ({@code distribution/target/serval})
 * @param models the reference models ({@code distribution/models})
 * @param cacheDir the native library cache, shared with the tests ({@code target/native-cache})
 * @param out where results and the servers' folders go ({@code bench/target})
 * @param seconds how long each measured run lasts
 * @param warmupSeconds how long each model is warmed up before it is measured
 * @param sweepSeconds how long each point of the raw batch-size sweep lasts
 * @param workers workers per model in the servers measured over HTTP; 0: as many as the threads of
 *     the best raw run
 * @param maxBatchDelayMs {@code maxBatchDelay} of the batching server
 * @param serverJavaOpts {@code JAVA_OPTS} of the servers, e.g. to record a flight recording
 */
record BenchOptions(Path dist, Path models, Path cacheDir, Path out, double seconds, double warmupSeconds,
        double sweepSeconds, int workers, int maxBatchDelayMs, String serverJavaOpts) {

    private static final String USAGE = """
            java -jar bench/target/serval-bench.jar [--dist DIR] [--models DIR] [--cache DIR] [--out DIR]
                [--seconds S] [--warmup S] [--sweep S] [--workers N] [--max-batch-delay MS] [--server-java-opts OPTS]""";
    private static final Set<String> NAMES = Set.of("--dist", "--models", "--cache", "--out", "--seconds", "--warmup",
            "--sweep", "--workers", "--max-batch-delay", "--server-java-opts");

    /**
     * @param args the command line: {@code --name value} pairs
     * @return the options
     * @throws IllegalArgumentException for an unknown option or a missing value
     */
    static BenchOptions parse(List<String> args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!NAMES.contains(args.get(i)) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("Unknown option or missing value: " + args.get(i) + "\n" + USAGE);
            }
            given.put(args.get(i), args.get(i + 1));
        }
        return new BenchOptions(
                Path.of(given.getOrDefault("--dist", "distribution/target/serval")),
                Path.of(given.getOrDefault("--models", "distribution/models")),
                Path.of(given.getOrDefault("--cache", "target/native-cache")),
                Path.of(given.getOrDefault("--out", "bench/target")),
                Double.parseDouble(given.getOrDefault("--seconds", "5")),
                Double.parseDouble(given.getOrDefault("--warmup", "10")),
                Double.parseDouble(given.getOrDefault("--sweep", "2")),
                Integer.parseInt(given.getOrDefault("--workers", "0")),
                Integer.parseInt(given.getOrDefault("--max-batch-delay", "5")),
                given.getOrDefault("--server-java-opts", ""));
    }
}
