package dev.serval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A workload served by Serval over HTTP on loopback, with or without dynamic batching: latency at
 * one client, then throughput at 1, 8, 32 and 64 concurrent keep-alive clients in this JVM.
 */
final class HttpBenchmark {

    /** Concurrent clients measured. */
    static final List<Integer> CLIENTS = List.of(1, 8, 32, 64);
    /**
     * Warmed up at full load: a fresh server JVM spends seconds compiling Jetty, Javalin and the
     * handler (a profile of a 25 s run showed C2 taking 29% of the CPU), which is start-up, not
     * serving, and must not be measured as either.
     */
    private static final int WARMUP_CLIENTS = 32;

    private final BenchOptions options;

    HttpBenchmark(BenchOptions options) {
        this.options = options;
    }

    /**
     * @param workload the model and inputs
     * @param batchSize the server's {@code batchSize}; 1 turns batching off
     * @param workers the model's workers
     * @return the server's figures
     * @throws Exception when the server cannot be started or measured
     */
    Results.Http run(Workload workload, int batchSize, int workers) throws Exception {
        Map<String, Object> settings = Map.of("minWorkers", workers, "maxWorkers", workers,
                "batchSize", batchSize, "maxBatchDelay", batchSize == 1 ? 0 : options.maxBatchDelayMs());
        Path root = options.out().resolve("servers").resolve(workload.name() + "-batch" + batchSize);
        Path store = root.resolve("model-store");
        BenchStore.write(store, workload, settings);
        String path = "/predictions/" + workload.name();
        try (ServalServer server = ServalServer.launch(options, root, store, workload.name())) {
            server.awaitPrediction(path, workload.inputs().get(0), 120);
            Warmup.Result warmup = Warmup.untilCompiled(server.pid(), options.warmupSeconds()).run(seconds ->
                    HttpLoad.run(server.inferencePort(), path, workload.inputs(), WARMUP_CLIENTS, seconds));
            Bench.progress("  " + warmup.describe());
            List<Results.HttpPoint> points = new ArrayList<>();
            for (int clients : CLIENTS) {
                long serverCpu = server.cpuNanos();
                long clientCpu = CpuTime.self();
                ConcurrentRun.Result run = HttpLoad.run(server.inferencePort(), path, workload.inputs(), clients,
                        options.seconds());
                double answered = Math.max(run.requests(), 1) * 1e6;
                points.add(new Results.HttpPoint(clients, run.throughput(), run.latency(), run.errors(),
                        run.firstError(), (server.cpuNanos() - serverCpu) / answered,
                        (CpuTime.self() - clientCpu) / answered));
            }
            return new Results.Http(settings, warmup, points);
        }
    }
}
