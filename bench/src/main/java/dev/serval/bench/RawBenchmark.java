package dev.serval.bench;

import dev.serval.sdk.Request;
import dev.serval.sdk.testkit.TestModel;
import dev.serval.sdk.testkit.TestWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The limit: a workload's handler called directly on the same input bytes (decode, preprocess,
 * forward, postprocess), no HTTP and no queue. Latency is measured on one thread, one request at
 * a time; throughput on 1 to {@code cores} threads (each its own handler and predictor, like
 * workers) for every batch size, keeping the best.
 */
final class RawBenchmark {

    /** Batch sizes swept for the saturated throughput. */
    static final List<Integer> BATCH_SIZES = List.of(1, 4, 8, 16, 32);
    /** The pause before each call of the idle baseline: about one HTTP client's round trip. */
    static final double IDLE_MS = 0.4;

    private final BenchOptions options;

    RawBenchmark(BenchOptions options) {
        this.options = options;
    }

    /**
     * @param workload the model and inputs
     * @return single-request latency and throughput per thread count and batch size
     * @throws Exception when the model cannot be loaded or run
     */
    Results.Raw run(Workload workload) throws Exception {
        List<Request> requests =
                workload.inputs().stream().map(Input::toRequest).toList();
        // The SDK test kit loads the model as the server does and gives each worker its own
        // handler and predictor on the shared weights, as the server's workers have them.
        try (TestModel model = TestModel.load(workload.folder(), workload.serializedFile())) {
            Warmup warmup = Warmup.untilCompiled(ProcessHandle.current().pid(), options.warmupSeconds());
            Measured latency = measure(model, workload, requests, 1, 1, warmup, options.seconds());
            Latencies.Summary idle = idleLatency(model, workload, requests, options.seconds());
            List<Results.RawPoint> points = new ArrayList<>();
            for (int threads : threadCounts()) {
                for (int batchSize : BATCH_SIZES) {
                    // The code is compiled by now; a second lets new predictors see their shapes.
                    Measured m = measure(
                            model, workload, requests, threads, batchSize, Warmup.fixed(1), options.sweepSeconds());
                    points.add(new Results.RawPoint(
                            threads, batchSize, m.run().throughput(), m.run().errors(), m.cpuMsPerRequest()));
                }
            }
            return new Results.Raw(
                    latency.warmup(),
                    latency.run().latency(),
                    idle,
                    latency.run().errors(),
                    latency.cpuMsPerRequest(),
                    latency.kbPerRequest(),
                    latency.run().throughput(),
                    points);
        }
    }

    private static List<Integer> threadCounts() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores == 1 ? List.of(1) : List.of(1, cores);
    }

    private static Measured measure(
            TestModel model,
            Workload workload,
            List<Request> requests,
            int threads,
            int batchSize,
            Warmup warmup,
            double seconds)
            throws Exception {
        List<TestWorker<?>> workers = new ArrayList<>();
        try {
            List<Operation> operations = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                TestWorker<?> worker = model.start(workload.handler().get());
                workers.add(worker);
                operations.add(batches(worker, requests, batchSize, t));
            }
            Warmup.Result warmed = warmup.run(warmupSeconds -> ConcurrentRun.run(operations, warmupSeconds));
            long cpu = CpuTime.self();
            long heap = HeapAllocation.soFar();
            ConcurrentRun.Result run = ConcurrentRun.run(operations, seconds);
            long answered = Math.max(run.requests(), 1);
            return new Measured(
                    warmed,
                    run,
                    (CpuTime.self() - cpu) / 1e6 / answered,
                    heap < 0 ? Double.NaN : (HeapAllocation.soFar() - heap) / 1024.0 / answered);
        } finally {
            workers.forEach(TestWorker::close);
        }
    }

    /**
     * Single requests with the thread idle between them, as a server's worker is between one
     * client's requests: back to back, a call finds its core, caches and clock warm; after a
     * pause it does not, and takes longer with no server involved (0.64 → 0.83 ms for DistilBERT
     * here). This is the baseline that separates what serving costs from what idling costs.
     */
    private static Latencies.Summary idleLatency(
            TestModel model, Workload workload, List<Request> requests, double seconds) throws Exception {
        try (TestWorker<?> worker = model.start(workload.handler().get())) {
            Latencies latencies = new Latencies();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            for (int i = 0; System.nanoTime() < end; i++) {
                long start = System.nanoTime();
                worker.handle(requests.get(i % requests.size()));
                latencies.record(System.nanoTime() - start);
                LockSupport.parkNanos((long) (IDLE_MS * 1e6));
            }
            return latencies.summary();
        }
    }

    /** Handler calls of {@code batchSize} requests, taking the inputs in turn from {@code offset}. */
    private static Operation batches(TestWorker<?> worker, List<Request> requests, int batchSize, int offset) {
        int[] next = {offset};
        return () -> {
            List<Request> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(requests.get(next[0]++ % requests.size()));
            }
            worker.handle(batch);
            return batchSize;
        };
    }

    /** A warmed-up run, and this JVM's CPU time and heap allocation per request answered in it. */
    private record Measured(
            Warmup.Result warmup, ConcurrentRun.Result run, double cpuMsPerRequest, double kbPerRequest) {}
}
