package dev.serval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serval.bench.Results.Goal;
import dev.serval.bench.Results.Verdict;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GoalsTest {

    private static final Warmup.Result WARM = new Warmup.Result(10, true, 0.01);

    /** Raw: 2000 req/s one by one at 0.5 ms of CPU each, 4000 req/s in batches of 8 at 0.25 ms. */
    private static final Results.Raw RAW = new Results.Raw(
            WARM,
            latency(0.45, 0.9),
            latency(0.5, 1),
            0,
            0.5,
            12,
            2000,
            List.of(new Results.RawPoint(1, 1, 2000, 0, 0.5), new Results.RawPoint(1, 8, 4000, 0, 0.25)));

    private static final Results.Workload WORKLOAD = new Results.Workload(
            "digits_pt",
            RAW,
            // batching off: 1500 req/s at 1 client, p50 0.6 ms; busiest at 32 clients, 0.53 ms CPU, 15 KB
            server(
                    HttpBenchmark.Batching.OFF,
                    1,
                    point(1, 1500, 0.6, 1.5, 0.55, 12),
                    point(8, 2400, 3, 6, 0.54, 14),
                    point(32, 2600, 12, 30, 0.53, 15),
                    point(64, 2500, 25, 60, 0.53, 15)),
            server(
                    HttpBenchmark.Batching.FIXED,
                    8,
                    point(1, 150, 6.5, 7, 0.9, 30),
                    point(8, 2000, 4, 8, 0.4, 22),
                    point(32, 3000, 10, 20, 0.35, 21),
                    point(64, 3100, 20, 40, 0.34, 21)),
            // the default policy: 3300 req/s at 32 clients (0.825× raw's best), 0.32 ms CPU (70 µs over raw's)
            server(
                    HttpBenchmark.Batching.DEFAULT,
                    8,
                    point(1, 1450, 0.7, 2.5, 0.56, 13),
                    point(8, 2500, 3, 6, 0.4, 25),
                    point(32, 3300, 9, 18, 0.32, 25),
                    point(64, 3200, 19, 40, 0.32, Double.NaN)));

    private static final Results.Startup STARTUP = new Results.Startup(2500, 4000, 1500, 900, 10, 4);

    /** 1000 connections with 3 errors; 20 MB per added digits copy; 8 s to start 50 models. */
    private static final Results.Scaling SCALING = new Results.Scaling(
            25_000,
            List.of(
                    new Results.StorePoint(1, 1, 0, 2000, 400),
                    new Results.StorePoint(10, 8, 2, 4000, 700),
                    new Results.StorePoint(50, 48, 2, 8000, 1500)),
            server(
                    HttpBenchmark.Batching.OFF,
                    1,
                    point(1, 1500, 0.6, 1.5, 0.55, 12),
                    point(100, 2600, 38, 60, 0.53, 15),
                    errors(point(1000, 2500, 400, 900, 0.53, 15), 3)));

    @Test
    void theLimitIsJudgedOnlyWithTheLoadGeneratorApart() {
        List<Goal> apart = check(SCALING, true);
        assertEquals(Verdict.PASS, verdict(apart, Goals.LIMIT, "32 clients"));
        assertEquals("0.83×", goal(apart, Goals.LIMIT, "32 clients").measured());
        assertEquals(Verdict.FAIL, verdict(apart, Goals.LIMIT, "1 client"));
        assertEquals(Verdict.INFO, verdict(apart, Goals.LIMIT, "CPU/req"));

        List<Goal> together = check(SCALING, false);
        assertEquals(Verdict.UNCHECKED, verdict(together, Goals.LIMIT, "32 clients"));
        assertEquals(Verdict.UNCHECKED, verdict(together, Goals.LIMIT, "1 client"));
    }

    @Test
    void theDefaultPolicyAgainstBatchingOffAndTheFixedDelay() {
        List<Goal> goals = check(SCALING, true);
        assertEquals(Verdict.FAIL, verdict(goals, Goals.BATCHING, "p50 at 1 client")); // 0.7 / 0.6 > 1.1
        assertEquals(Verdict.PASS, verdict(goals, Goals.BATCHING, "at 8 clients"));
        assertEquals(Verdict.PASS, verdict(goals, Goals.BATCHING, "at 32 clients"));
    }

    @Test
    void theServersCpuOverRawsAtTheSameBatchSizeAndItsAllocationAtTheBusiestPoint() {
        List<Goal> goals = check(SCALING, true);
        Goal off = goal(goals, Goals.OWN_COST, "CPU/req − raw's (1 × batch 1), 32 clients, batching off");
        assertEquals(Verdict.PASS, off.verdict());
        assertEquals("30 µs", off.measured());
        Goal batched = goal(goals, Goals.OWN_COST, "CPU/req − raw's (1 × batch 8), 32 clients, batched, default");
        assertEquals(Verdict.FAIL, batched.verdict());
        assertEquals("70 µs", batched.measured());
        assertEquals(Verdict.PASS, verdict(goals, Goals.OWN_COST, "allocated per request, 32 clients, batching off"));
        assertEquals(Verdict.FAIL, verdict(goals, Goals.OWN_COST, "allocated per request, 64 clients, batched, fixed"));
        assertEquals(
                Verdict.FAIL, verdict(goals, Goals.OWN_COST, "allocated per request, 32 clients, batched, default"));
        Goal handler = goal(goals, Goals.OWN_COST, "allocated per request by the handler alone");
        assertEquals(Verdict.INFO, handler.verdict());
        assertEquals("12.0 KB", handler.measured());
    }

    @Test
    void tailsConnectionsAndGrowth() {
        List<Goal> goals = check(SCALING, true);
        assertEquals(Verdict.PASS, verdict(goals, Goals.TAILS, "at 1 client, batching off")); // 1.5 / 0.6
        assertEquals(Verdict.FAIL, verdict(goals, Goals.TAILS, "at 1 client, batched")); // 2.5 / 0.7
        assertEquals(Verdict.PASS, verdict(goals, Goals.CONNECTIONS, "at 32 ÷ at 8")); // 2600 ≥ 2400
        assertEquals(Verdict.FAIL, verdict(goals, Goals.CONNECTIONS, "1000 concurrent")); // 3 errors
        Goal perModel = goal(goals, Goals.GROWTH, "per added small model");
        assertEquals("20.0 MB", perModel.measured());
        assertEquals(Verdict.PASS, perModel.verdict());
        assertEquals(Verdict.PASS, verdict(goals, Goals.GROWTH, "first answer, 50 models"));
        assertEquals(Verdict.INFO, verdict(goals, Goals.GROWTH, "empty cache"));
        assertEquals(Verdict.FAIL, verdict(goals, Goals.EARLIER, "request errors")); // the 3 of the scaling run
    }

    @Test
    void withoutTheScalingRunItsGoalsAreNotJudged() {
        List<Goal> goals = check(null, true);
        assertEquals(
                "0; needs --scaling",
                goal(goals, Goals.CONNECTIONS, "1000 concurrent").limit());
        assertEquals(
                Verdict.UNCHECKED,
                goal(goals, Goals.GROWTH, "models and connections").verdict());
        // the other runs had no errors
        assertEquals(Verdict.PASS, verdict(goals, Goals.EARLIER, "request errors"));
    }

    /** The fixture's goals, without a scaling run when {@code scaling} is null. */
    private static List<Goal> check(Results.Scaling scaling, boolean clientApart) {
        return Goals.check(List.of(WORKLOAD), STARTUP, scaling, "needs --scaling", clientApart);
    }

    private static Verdict verdict(List<Goal> goals, String group, String name) {
        return goal(goals, group, name).verdict();
    }

    private static Goal goal(List<Goal> goals, String group, String name) {
        List<Goal> matching = goals.stream()
                .filter(g -> g.group().equals(group) && g.name().contains(name))
                .collect(Collectors.toList());
        assertEquals(1, matching.size(), () -> group + " / " + name + ": " + matching + " in " + goals);
        return matching.get(0);
    }

    private static Results.Http server(HttpBenchmark.Batching batching, int batchSize, Results.HttpPoint... points) {
        Map<String, Object> settings = HttpBenchmark.settings(batching, batchSize, 1, 5);
        return new Results.Http(batching.label(), settings, WARM, List.of(points));
    }

    private static Results.HttpPoint point(
            int clients, double throughput, double p50, double p99, double cpuMs, double kb) {
        return new Results.HttpPoint(
                clients,
                throughput,
                new Latencies.Summary(1000, p50, p50, p99),
                0,
                null,
                cpuMs,
                0.1,
                kb,
                Double.NaN,
                List.of(throughput));
    }

    private static Results.HttpPoint errors(Results.HttpPoint point, long errors) {
        return new Results.HttpPoint(
                point.clients(),
                point.throughput(),
                point.latency(),
                errors,
                "refused",
                point.serverCpuMsPerRequest(),
                point.clientCpuMsPerRequest(),
                point.serverKbPerRequest(),
                point.meanBatchSize(),
                point.roundThroughputs());
    }

    private static Latencies.Summary latency(double p50, double p99) {
        return new Latencies.Summary(1000, p50, p50, p99);
    }
}
