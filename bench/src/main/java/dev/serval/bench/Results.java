package dev.serval.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a run measured, as records written to JSON as they are. */
final class Results {

    private Results() {}

    /**
     * @param threads handler threads, each with its own predictor
     * @param batchSize requests per handler call
     * @param throughput requests answered per second
     * @param errors handler calls that failed
     * @param cpuMsPerRequest this JVM's CPU time per request answered
     */
    record RawPoint(int threads, int batchSize, double throughput, long errors, double cpuMsPerRequest) {}

    /**
     * @param warmup the load on one thread before latency was measured
     * @param latency one thread, one request per call
     * @param idleLatency the same, each call after a pause, as a worker between one client's requests
     * @param latencyErrors handler calls that failed while measuring latency
     * @param latencyCpuMsPerRequest CPU time per request while measuring latency
     * @param latencyKbPerRequest heap allocated per request while measuring latency, in KB: the
     *     handler's own share of what a server allocates per request; NaN when the JVM cannot
     *     measure it
     * @param latencyThroughput requests answered per second while measuring latency: one thread,
     *     one request at a time, after the warm-up (steadier than the sweep's short first point)
     * @param sweep throughput per thread count and batch size
     */
    record Raw(
            Warmup.Result warmup,
            Latencies.Summary latency,
            Latencies.Summary idleLatency,
            long latencyErrors,
            double latencyCpuMsPerRequest,
            double latencyKbPerRequest,
            double latencyThroughput,
            List<RawPoint> sweep) {

        /** @return the point with the highest throughput */
        RawPoint best() {
            return sweep.stream()
                    .max(Comparator.comparingDouble(RawPoint::throughput))
                    .orElseThrow();
        }

        /**
         * @param threads a server's workers
         * @param batchSize its batch size
         * @return the point with that batch size and as many threads, or, when not swept, the
         *     fewest threads at that batch size
         */
        RawPoint like(int threads, int batchSize) {
            return sweep.stream()
                    .filter(p -> p.batchSize() == batchSize)
                    .min(Comparator.comparingInt((RawPoint p) -> p.threads() == threads ? 0 : 1)
                            .thenComparingInt(RawPoint::threads))
                    .orElseThrow();
        }

        /** @return the point with the highest throughput in batches of more than one request */
        RawPoint bestBatched() {
            return sweep.stream()
                    .filter(p -> p.batchSize() > 1)
                    .max(Comparator.comparingDouble(RawPoint::throughput))
                    .orElseThrow();
        }

        /** @return the best throughput of one thread */
        RawPoint bestSingleThread() {
            return sweep.stream()
                    .filter(p -> p.threads() == 1)
                    .max(Comparator.comparingDouble(RawPoint::throughput))
                    .orElseThrow();
        }
    }

    /**
     * @param clients concurrent keep-alive clients, each waiting for its answer
     * @param throughput requests answered per second
     * @param latency per request
     * @param errors requests not answered with 200, and connections refused
     * @param firstError what the first failure said, or null
     * @param serverCpuMsPerRequest the server process's CPU time per request answered
     * @param clientCpuMsPerRequest the load generator's CPU time per request answered
     * @param serverKbPerRequest what the server's JVM allocated on its heap per request answered,
     *     in KB (1000 bytes); NaN when its metrics have no allocation counter
     * @param meanBatchSize the requests per batch its workers ran; NaN when they ran none
     * @param roundThroughputs the throughput of every round this point is the median of
     */
    record HttpPoint(
            int clients,
            double throughput,
            Latencies.Summary latency,
            long errors,
            String firstError,
            double serverCpuMsPerRequest,
            double clientCpuMsPerRequest,
            double serverKbPerRequest,
            double meanBatchSize,
            List<Double> roundThroughputs) {

        /**
         * @param rounds the same point measured in several rounds, one each
         * @return the round of median throughput (the lower of the two middle ones for an even
         *     count: the figure the goals judge is not flattered by the spread), with every
         *     round's throughput, and the errors of all rounds
         */
        static HttpPoint median(List<HttpPoint> rounds) {
            List<HttpPoint> sorted = rounds.stream()
                    .sorted(Comparator.comparingDouble(HttpPoint::throughput))
                    .toList();
            HttpPoint median = sorted.get((sorted.size() - 1) / 2);
            return new HttpPoint(
                    median.clients,
                    median.throughput,
                    median.latency,
                    rounds.stream().mapToLong(HttpPoint::errors).sum(),
                    rounds.stream()
                            .map(HttpPoint::firstError)
                            .filter(Objects::nonNull)
                            .findFirst()
                            .orElse(null),
                    median.serverCpuMsPerRequest,
                    median.clientCpuMsPerRequest,
                    median.serverKbPerRequest,
                    median.meanBatchSize,
                    rounds.stream().map(HttpPoint::throughput).toList());
        }
    }

    /**
     * @param config what the server was set to, in words
     * @param settings the model's serving settings, as written to its {@code model-config.yaml}
     * @param warmup the load before the points were measured
     * @param points one per client count
     */
    record Http(String config, Map<String, Object> settings, Warmup.Result warmup, List<HttpPoint> points) {

        /** @return the point measured at {@code clients} */
        HttpPoint at(int clients) {
            return points.stream()
                    .filter(p -> p.clients() == clients)
                    .findFirst()
                    .orElseThrow();
        }

        /** @return the model's workers */
        int workers() {
            return ((Number) settings.get("minWorkers")).intValue();
        }

        /** @return the model's {@code batchSize} */
        int batchSize() {
            return ((Number) settings.get("batchSize")).intValue();
        }

        /** @return the highest throughput over the client counts */
        double bestThroughput() {
            return busiest().throughput();
        }

        /** @return the point with the highest throughput */
        HttpPoint busiest() {
            return points.stream()
                    .max(Comparator.comparingDouble(HttpPoint::throughput))
                    .orElseThrow();
        }

        /** @return requests that failed, over every client count */
        long errors() {
            return points.stream().mapToLong(HttpPoint::errors).sum();
        }
    }

    /**
     * @param name the workload
     * @param raw the in-process limit
     * @param unbatched the server with {@code batchSize} 1
     * @param fixedDelay the server batching at raw's best batch size above 1 with TorchServe's rule: a
     *     batch waits up to {@code maxBatchDelay} to fill
     * @param batched the same batch size with the server's default batching policy
     */
    record Workload(String name, Raw raw, Http unbatched, Http fixedDelay, Http batched) {

        /** @return the three servers, in the order they ran */
        List<Http> servers() {
            return List.of(unbatched, fixedDelay, batched);
        }
    }

    /**
     * @param launchToPredictionMs {@code bin/serval} launched to the example model's first 200
     * @param launchAllToPredictionMs the same with the whole example model store loading
     * @param deployToPredictionMs an archive moved into {@code deploy/} to its first 200
     * @param residentMbAllModels resident memory with the four reference models loaded and used
     * @param residentMbPerWorker resident memory each added worker of one model costs
     * @param workersAdded how many workers were added to measure it
     */
    record Startup(
            double launchToPredictionMs,
            double launchAllToPredictionMs,
            double deployToPredictionMs,
            double residentMbAllModels,
            double residentMbPerWorker,
            int workersAdded) {}

    /**
     * @param models how many models the server loaded at start
     * @param digits how many of them are copies of the digits ConvNet
     * @param distilbert how many are copies of DistilBERT
     * @param launchToReadyMs {@code bin/serval} launched to every model's first 200
     * @param residentMb the server's resident memory then
     */
    record StorePoint(int models, int digits, int distilbert, double launchToReadyMs, double residentMb) {}

    /**
     * @param freshStartMs launch to the first prediction of {@code digits} with an empty native
     *     cache, which the server fills first, as on a fresh machine
     * @param stores start-up and memory with more and more models
     * @param connections one server, batching off, loaded by more and more keep-alive connections
     */
    record Scaling(double freshStartMs, List<StorePoint> stores, Http connections) {

        /** @return the point measured with {@code models} models */
        StorePoint with(int models) {
            return stores.stream().filter(p -> p.models() == models).findFirst().orElseThrow();
        }
    }

    /** What a check came to. */
    enum Verdict {
        /** The goal is met. */
        PASS,
        /** The goal is missed. */
        FAIL,
        /** A figure that explains others, not a goal. */
        INFO,
        /** The goal could not be judged by this run; the limit says why. */
        UNCHECKED
    }

    /**
     * @param group the goal it belongs to, e.g. {@code 1. close to the limit}
     * @param name what is checked
     * @param measured the figure
     * @param limit what it must reach, or why it was not judged
     * @param verdict what it came to
     */
    record Goal(String group, String name, String measured, String limit, Verdict verdict) {

        /**
         * A goal judged by its figure, in no group.
         *
         * @param name what is checked
         * @param measured the figure
         * @param limit what it must reach
         * @param pass whether it does
         */
        Goal(String name, String measured, String limit, boolean pass) {
            this("", name, measured, limit, pass ? Verdict.PASS : Verdict.FAIL);
        }

        /** @return whether the check did not fail: met, a diagnostic, or not judged */
        boolean pass() {
            return verdict != Verdict.FAIL;
        }
    }

    /**
     * @param machine cores, memory, load, JVM
     * @param workloads per model
     * @param startup start-up, hot deploy and memory
     * @param scaling start-up and memory with 1 to 50 models, and 1 to 1000 connections; null when not run
     * @param goals the goals, checked
     */
    record Report(
            Map<String, Object> machine,
            List<Workload> workloads,
            Startup startup,
            Scaling scaling,
            List<Goal> goals) {}
}
