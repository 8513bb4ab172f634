package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    /** The histogram of the batches the workers ran, read before and after each point. */
    static final String BATCH_SIZE = "serval_batch_size";
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
     * Serves the workload from one server per batching at once, warms each up in turn, then
     * measures every client count in {@code rounds} rounds, each round going through the servers
     * one after the other, and keeps each server's median round. Figures on a shared VM drift by
     * up to a third over minutes (2026-12-03: one server, one setting, 1181 to 1945 req/s in
     * consecutive runs), so servers measured one after the other compared their minutes as much as
     * their batching; interleaved, the ratios between servers compare the same minutes.
     *
     * @param workload the model and inputs
     * @param batchings how each server batches
     * @param batchSize the servers' {@code batchSize} when batching
     * @param workers the model's workers
     * @param clients the numbers of concurrent clients to measure, in turn
     * @param rounds how many times each point is measured
     * @return each server's figures, in the order of {@code batchings}
     * @throws Exception when a server cannot be started or measured
     */
    List<Results.Http> run(
            Workload workload, List<Batching> batchings, int batchSize, int workers, List<Integer> clients, int rounds)
            throws Exception {
        String path = "/predictions/" + workload.name();
        List<ServalServer> servers = new ArrayList<>();
        try {
            List<Map<String, Object>> settings = new ArrayList<>();
            for (Batching batching : batchings) {
                settings.add(settings(batching, batchSize, workers, options.maxBatchDelayMs()));
                Path root = options.out()
                        .resolve("servers")
                        .resolve(workload.name() + "-" + batching.name().toLowerCase(Locale.ROOT) + "-"
                                + clients.get(clients.size() - 1));
                Path store = root.resolve("model-store");
                BenchStore.write(store, workload, settings.get(settings.size() - 1));
                // The server's defaults, job_queue_size's 1024 among them, admit a request on each of 1000 connections.
                servers.add(ServalServer.launch(options, root, store, workload.name()));
            }
            List<Warmup.Result> warmups = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                ServalServer server = servers.get(i);
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
                Bench.progress("  " + batchings.get(i).label() + ": " + warmup.describe());
                warmups.add(warmup);
            }
            List<List<Results.HttpPoint>> points = new ArrayList<>();
            servers.forEach(server -> points.add(new ArrayList<>()));
            for (int n : clients) {
                List<List<Results.HttpPoint>> measured = new ArrayList<>();
                servers.forEach(server -> measured.add(new ArrayList<>()));
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < servers.size(); i++) {
                        measured.get(i).add(measure(servers.get(i), path, workload.inputs(), n));
                    }
                }
                for (int i = 0; i < servers.size(); i++) {
                    points.get(i).add(Results.HttpPoint.median(measured.get(i)));
                }
            }
            List<Results.Http> results = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                results.add(new Results.Http(batchings.get(i).label(), settings.get(i), warmups.get(i), points.get(i)));
            }
            return results;
        } finally {
            for (ServalServer server : servers) {
                server.close();
            }
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
        MetricsText before = server.metrics(ALLOCATED, BATCH_SIZE);
        long serverCpu = server.cpuNanos();
        long clientCpu = CpuTime.self();
        ConcurrentRun.Result run = HttpLoad.run(server.inferencePort(), path, inputs, clients, options.seconds());
        long serverCpuAfter = server.cpuNanos();
        long clientCpuAfter = CpuTime.self();
        // The scrape after the CPU readings: its own cost is the server's, in neither figure's run.
        MetricsText after = server.metrics(ALLOCATED, BATCH_SIZE);
        double bytes = MetricsText.perRequest(ALLOCATED, before, after, run.requests());
        double batches =
                after.sum(BATCH_SIZE + "_count", labels -> true) - before.sum(BATCH_SIZE + "_count", labels -> true);
        double batched =
                after.sum(BATCH_SIZE + "_sum", labels -> true) - before.sum(BATCH_SIZE + "_sum", labels -> true);
        double answered = Math.max(run.requests(), 1) * 1e6;
        return new Results.HttpPoint(
                clients,
                run.throughput(),
                run.latency(),
                run.errors(),
                run.firstError(),
                (serverCpuAfter - serverCpu) / answered,
                (clientCpuAfter - clientCpu) / answered,
                bytes / 1000,
                batches > 0 ? batched / batches : Double.NaN,
                List.of(run.throughput()));
    }
}
