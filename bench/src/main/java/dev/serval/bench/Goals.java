package dev.serval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The goals, checked against a run's figures. */
final class Goals {

    static final double OVERHEAD_P50_MS = 0.3;
    static final double TAIL_RATIO = 3;
    static final double LAUNCH_MS = 3000;
    static final double DEPLOY_MS = 2000;
    static final double WORKER_MB = 15;
    static final int TAIL_CLIENTS = 32;

    private Goals() {
    }

    /**
     * @param workloads the per-model figures
     * @param startup start-up, deploy and memory
     * @param clientApart whether the load generator ran on other CPUs than the server
     * @return every goal, with whether it is met
     */
    static List<Results.Goal> check(List<Results.Workload> workloads, Results.Startup startup, boolean clientApart) {
        List<Results.Goal> goals = new ArrayList<>();
        long errors = 0;
        for (Results.Workload w : workloads) {
            double served = w.unbatched().at(1).latency().p50Ms();
            double overhead = served - w.raw().latency().p50Ms();
            goals.add(new Results.Goal(w.name() + ": server overhead over raw, p50 at 1 client",
                    ms(overhead), "≤ " + ms(OVERHEAD_P50_MS), overhead <= OVERHEAD_P50_MS));
            double overIdle = served - w.raw().idleLatency().p50Ms();
            goals.add(new Results.Goal(w.name() + ": overhead over raw called after 0.4 ms idle (diagnostic, not a goal)",
                    ms(overIdle), "≤ " + ms(OVERHEAD_P50_MS), overIdle <= OVERHEAD_P50_MS));
            double ratio = w.batched().bestThroughput() / w.raw().best().throughput();
            double target = w.throughputGoal();
            goals.add(new Results.Goal(w.name() + ": batched server throughput / raw best",
                    format("%.2f×", ratio), format("≥ %.2f×", target), ratio >= target));
            // Saturated, throughput is CPU-bound: it cannot pass raw's CPU per request over the
            // server's, and the load generator's too where it shares the server's cores.
            Results.HttpPoint busiest = w.batched().busiest();
            double spent = busiest.serverCpuMsPerRequest() + (clientApart ? 0 : busiest.clientCpuMsPerRequest());
            double ceiling = w.raw().best().cpuMsPerRequest() / spent;
            goals.add(new Results.Goal(w.name() + ": CPU/req raw ÷ " + (clientApart ? "server" : "(server + client)")
                    + " (diagnostic, not a goal)", format("%.2f×", ceiling), format("≥ %.2f×", target),
                    ceiling >= target));
            for (Results.Http http : List.of(w.unbatched(), w.batched())) {
                Latencies.Summary tail = http.at(TAIL_CLIENTS).latency();
                double tailRatio = tail.p99Ms() / tail.p50Ms();
                goals.add(new Results.Goal(w.name() + ": p99/p50 at " + TAIL_CLIENTS + " clients, batchSize "
                        + http.settings().get("batchSize"), format("%.2f", tailRatio),
                        format("≤ %.1f", TAIL_RATIO), tailRatio <= TAIL_RATIO));
                errors += http.errors();
            }
            errors += w.raw().latencyErrors() + w.raw().sweep().stream().mapToLong(Results.RawPoint::errors).sum();
        }
        goals.add(new Results.Goal("request errors, all runs", String.valueOf(errors), "0", errors == 0));
        goals.add(new Results.Goal("launch to first prediction (digits)", ms(startup.launchToPredictionMs()),
                "≤ " + ms(LAUNCH_MS), startup.launchToPredictionMs() <= LAUNCH_MS));
        goals.add(new Results.Goal("archive dropped into deploy/ to first prediction", ms(startup.deployToPredictionMs()),
                "≤ " + ms(DEPLOY_MS), startup.deployToPredictionMs() <= DEPLOY_MS));
        goals.add(new Results.Goal("resident memory per added worker", format("%.1f MB", startup.residentMbPerWorker()),
                format("≤ %.0f MB", WORKER_MB), startup.residentMbPerWorker() <= WORKER_MB));
        return goals;
    }

    private static String ms(double ms) {
        return format("%.2f ms", ms);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
