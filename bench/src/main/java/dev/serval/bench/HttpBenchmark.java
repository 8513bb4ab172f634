package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A workload served by Serval over HTTP on loopback, batching off, on with TorchServe's fixed
 * delay, or on with the server's default policy: throughput, latency, CPU and allocation per
 * request at each of some numbers of concurrent keep-alive clients in this JVM.
 */
final class HttpBenchmark {

    /** Concurrent clients measured for each workload. */
    static final List<Integer> CLIENTS = List.of(1, 8, 32, 64);
    /** The model-config key choosing how a batch is formed (issue 23), and its TorchServe value. */
    static final String BATCH_POLICY = "batchPolicy";

    static final String FIXED_DELAY = "fixed";
    /** The server's own counter of the bytes its JVM allocated, read before and after each point. */
    static final String ALLOCATED = "serval_jvm_allocated_bytes_total";
    /** The shortest a warm-up spends at one number of clients, in seconds. */
    private static final double WARMUP_SLICE_SECONDS = 0.5;

    /** How a server batches. */
    enum Batching {
        /** {@code batchSize: 1}. */
        OFF("batching off"),
        /** A batch waits up to {@code maxBatchDelay} to fill, as TorchServe's does. */
        FIXED("batched, fixed delay"),
        /** The server's default policy for {@code batchSize} > 1, {@link #BATCH_POLICY} unset. */
        DEFAULT("batched, default policy");

        private final String label;

        Batching(String label) {
            this.label = label;
        }

        /** @return the batching in words */
        String label() {
            return label;
        }
    }

    private final BenchOptions options;

    HttpBenchmark(BenchOptions options) {
        this.options = options;
    }

    /**
     * @param workload the model and inputs
     * @param batching how the server batches
     * @param batchSize the server's {@code batchSize} when batching
     * @param workers the model's workers
     * @param clients the numbers of concurrent clients to measure, in turn
     * @return the server's figures
     * @throws Exception when the server cannot be started or measured
     */
    Results.Http run(Workload workload, Batching batching, int batchSize, int workers, List<Integer> clients)
            throws Exception {
        Map<String, Object> settings = settings(batching, batchSize, workers, options.maxBatchDelayMs());
        Path root = options.out()
                .resolve("servers")
                .resolve(workload.name() + "-" + batching.name().toLowerCase() + "-" + clients.get(clients.size() - 1));
        Path store = root.resolve("model-store");
        BenchStore.write(store, workload, settings);
        String path = "/predictions/" + workload.name();
        // The server's defaults, job_queue_size's 1024 among them, admit a request on each of 1000 connections.
        try (ServalServer server = ServalServer.launch(options, root, store, workload.name())) {
            server.awaitPrediction(path, workload.inputs().get(0), 120);
            Warmup.Result warmup = Warmup.untilCompiled(server.pid(), options.warmupSeconds())
                    // Each round goes through every measured number of clients: a fresh JVM spends
                    // seconds compiling Jetty, Javalin and the handler, which is start-up, not
                    // serving, and a warm-up at 32 clients alone left the paths one client takes
                    // (batches of one, a batch that waits) to be compiled in the first point.
                    .run(seconds -> whileScraping(server, () -> {
                        double slice = Math.max(WARMUP_SLICE_SECONDS, seconds / clients.size());
                        for (int n : clients) {
                            HttpLoad.run(server.inferencePort(), path, workload.inputs(), n, slice);
                        }
                        return null;
                    }));
            Bench.progress("  " + warmup.describe());
            List<Results.HttpPoint> points = new ArrayList<>();
            for (int n : clients) {
                points.add(measure(server, path, workload.inputs(), n));
            }
            return new Results.Http(batching.label(), settings, warmup, points);
        }
    }

    /**
     * @param batching how the server batches
     * @param batchSize its {@code batchSize} when batching
     * @param workers its workers
     * @param maxBatchDelayMs its {@code maxBatchDelay} when batching
     * @return the model's serving settings for {@code model-config.yaml}
     */
    static Map<String, Object> settings(Batching batching, int batchSize, int workers, int maxBatchDelayMs) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("minWorkers", workers);
        settings.put("maxWorkers", workers);
        settings.put("batchSize", batching == Batching.OFF ? 1 : batchSize);
        settings.put("maxBatchDelay", batching == Batching.OFF ? 0 : maxBatchDelayMs);
        if (batching == Batching.FIXED) {
            settings.put(BATCH_POLICY, FIXED_DELAY);
        }
        return settings;
    }

    /**
     * Runs a warm-up's load while the allocation counter is read every second, as {@link #measure}
     * reads it. After a warm-up without a scrape, the first one made the JIT throw away and
     * recompile some 150 hot methods of Jetty's request path at once (PrintCompilation, 2026-12-03:
     * the scrape's own code made their call sites polymorphic), and the first measured point, one
     * client, paid for it.
     */
    private static void whileScraping(ServalServer server, Callable<?> load) throws Exception {
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
        try {
            scraper.scheduleWithFixedDelay(
                    () -> {
                        try {
                            server.metrics(ALLOCATED);
                        } catch (IOException e) {
                            // A scrape that fails fails again in measure(), which reports it.
                        }
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);
            load.call();
        } finally {
            scraper.shutdownNow();
            scraper.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private Results.HttpPoint measure(ServalServer server, String path, List<Input> inputs, int clients)
            throws IOException, InterruptedException {
        MetricsText allocatedBefore = server.metrics(ALLOCATED);
        long serverCpu = server.cpuNanos();
        long clientCpu = CpuTime.self();
        ConcurrentRun.Result run = HttpLoad.run(server.inferencePort(), path, inputs, clients, options.seconds());
        long serverCpuAfter = server.cpuNanos();
        long clientCpuAfter = CpuTime.self();
        // The scrape after the CPU readings: its own cost is the server's, in neither figure's run.
        double bytes = MetricsText.perRequest(ALLOCATED, allocatedBefore, server.metrics(ALLOCATED), run.requests());
        double answered = Math.max(run.requests(), 1) * 1e6;
        return new Results.HttpPoint(
                clients,
                run.throughput(),
                run.latency(),
                run.errors(),
                run.firstError(),
                (serverCpuAfter - serverCpu) / answered,
                (clientCpuAfter - clientCpu) / answered,
                bytes / 1000);
    }
}
