package dev.serval.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What a run measured, as records written to JSON as they are. */
final class Results {

    private Results() {
    }

    /**
     * @param threads handler threads, each with its own predictor
     * @param batchSize requests per handler call
     * @param throughput requests answered per second
     * @param errors handler calls that failed
     * @param cpuMsPerRequest this JVM's CPU time per request answered
     */
    record RawPoint(int threads, int batchSize, double throughput, long errors, double cpuMsPerRequest) {
    }

    /**
     * @param warmup the load on one thread before latency was measured
     * @param latency one thread, one request per call
     * @param idleLatency the same, each call after a pause, as a worker between one client's requests
     * @param latencyErrors handler calls that failed while measuring latency
     * @param latencyCpuMsPerRequest CPU time per request while measuring latency
     * @param sweep throughput per thread count and batch size
     */
    record Raw(Warmup.Result warmup, Latencies.Summary latency, Latencies.Summary idleLatency, long latencyErrors,
            double latencyCpuMsPerRequest, List<RawPoint> sweep) {

        /** @return the point with the highest throughput */
        RawPoint best() {
            return sweep.stream().max(Comparator.comparingDouble(RawPoint::throughput)).orElseThrow();
        }

        /** @return the best throughput of one thread */
        RawPoint bestSingleThread() {
            return sweep.stream().filter(p -> p.threads() == 1)
                    .max(Comparator.comparingDouble(RawPoint::throughput)).orElseThrow();
        }
    }

    /**
     * @param clients concurrent keep-alive clients, each waiting for its answer
     * @param throughput requests answered per second
     * @param latency per request
     * @param errors requests not answered with 200
     * @param firstError what the first failure said, or null
     * @param serverCpuMsPerRequest the server process's CPU time per request answered
     * @param clientCpuMsPerRequest the load generator's CPU time per request answered
     */
    record HttpPoint(int clients, double throughput, Latencies.Summary latency, long errors, String firstError,
            double serverCpuMsPerRequest, double clientCpuMsPerRequest) {
    }

    /**
     * @param settings the model's serving settings
     * @param warmup the load before the points were measured
     * @param points one per client count
     */
    record Http(Map<String, Object> settings, Warmup.Result warmup, List<HttpPoint> points) {

        /** @return the point measured at {@code clients} */
        HttpPoint at(int clients) {
            return points.stream().filter(p -> p.clients() == clients).findFirst().orElseThrow();
        }

        /** @return the highest throughput over the client counts */
        double bestThroughput() {
            return busiest().throughput();
        }

        /** @return the point with the highest throughput */
        HttpPoint busiest() {
            return points.stream().max(Comparator.comparingDouble(HttpPoint::throughput)).orElseThrow();
        }

        /** @return requests that failed, over every client count */
        long errors() {
            return points.stream().mapToLong(HttpPoint::errors).sum();
        }
    }

    /**
     * @param name the workload
     * @param throughputGoal the least ratio of batched server throughput to raw's
     * @param raw the in-process limit
     * @param unbatched the server with {@code batchSize} 1
     * @param batched the server with dynamic batching at raw's best batch size
     */
    record Workload(String name, double throughputGoal, Raw raw, Http unbatched, Http batched) {
    }

    /**
     * @param launchToPredictionMs {@code bin/serval} launched to the example model's first 200
     * @param launchAllToPredictionMs the same with the whole example model store loading
     * @param deployToPredictionMs an archive moved into {@code deploy/} to its first 200
     * @param residentMbAllModels resident memory with the four reference models loaded and used
     * @param residentMbPerWorker resident memory each added worker of one model costs
     * @param workersAdded how many workers were added to measure it
     */
    record Startup(double launchToPredictionMs, double launchAllToPredictionMs, double deployToPredictionMs,
            double residentMbAllModels, double residentMbPerWorker, int workersAdded) {
    }

    /**
     * @param name what is checked
     * @param measured the figure
     * @param limit what it must reach
     * @param pass whether it does
     */
    record Goal(String name, String measured, String limit, boolean pass) {
    }

    /**
     * @param machine cores, memory, load, JVM
     * @param workloads per model
     * @param startup start-up, hot deploy and memory
     * @param goals the goals, checked
     */
    record Report(Map<String, Object> machine, List<Workload> workloads, Startup startup, List<Goal> goals) {
    }
}
