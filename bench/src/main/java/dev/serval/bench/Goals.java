package dev.serval.bench;

import dev.serval.bench.Results.Goal;
import dev.serval.bench.Results.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 23's goals, checked against a run's figures, in its six groups, after the goals the
 * benchmark checked before it (kept where they still say something).
 */
final class Goals {

    static final String LIMIT = "1. close to the limit";
    static final String BATCHING = "2. adaptive batching";
    static final String OWN_COST = "3. the server's own cost";
    static final String TAILS = "4. tails";
    static final String CONNECTIONS = "5. no collapse with more connections";
    static final String GROWTH = "6. cost that grows gently";
    static final String EARLIER = "earlier goals (the first bench's)";

    static final double LIMIT_SHARE = 0.8;
    static final double BATCHED_P50_RATIO = 1.1;
    static final double OWN_CPU_US = 50;
    static final double ALLOCATION_KB = 20;
    static final double TAIL_RATIO = 3;
    static final int MANY_CLIENTS = 32;
    static final int SOME_CLIENTS = 8;
    static final int MOST_CONNECTIONS = 1000;
    static final double MB_PER_SMALL_MODEL = 30;
    static final int MANY_MODELS = 50;
    static final double MANY_MODELS_START_MS = 10_000;
    static final double OVERHEAD_P50_MS = 0.3;
    static final double LAUNCH_MS = 3000;
    static final double DEPLOY_MS = 2000;
    static final double WORKER_MB = 15;

    private Goals() {}

    /**
     * @param workloads the per-model figures
     * @param startup start-up, deploy and memory
     * @param scaling 1 to 50 models and 1 to 1000 connections; null when not run
     * @param noScaling why there is no scaling run, when there is none
     * @param clientApart whether the load generator ran on other CPUs than the server
     * @return every goal, group by group, with what it came to
     */
    static List<Goal> check(
            List<Results.Workload> workloads,
            Results.Startup startup,
            Results.Scaling scaling,
            String noScaling,
            boolean clientApart) {
        List<Goal> goals = new ArrayList<>();
        for (Results.Workload w : workloads) {
            limit(w, clientApart, goals);
        }
        for (Results.Workload w : workloads) {
            batching(w, goals);
        }
        for (Results.Workload w : workloads) {
            ownCost(w, goals);
        }
        for (Results.Workload w : workloads) {
            for (Results.Http http : List.of(w.unbatched(), w.batched())) {
                for (int clients : List.of(1, MANY_CLIENTS)) {
                    Latencies.Summary tail = http.at(clients).latency();
                    goals.add(goal(
                            TAILS,
                            w.name() + ": p99/p50 at " + clients(clients) + ", " + http.config(),
                            format("%.2f", tail.p99Ms() / tail.p50Ms()),
                            format("≤ %.1f", TAIL_RATIO),
                            tail.p99Ms() <= TAIL_RATIO * tail.p50Ms()));
                }
            }
        }
        for (Results.Workload w : workloads) {
            double ratio = w.unbatched().at(MANY_CLIENTS).throughput()
                    / w.unbatched().at(SOME_CLIENTS).throughput();
            goals.add(goal(
                    CONNECTIONS,
                    w.name() + ": throughput at " + MANY_CLIENTS + " ÷ at " + SOME_CLIENTS + " clients, batching off",
                    times(ratio),
                    "≥ 1.00×",
                    ratio >= 1));
        }
        growth(scaling, noScaling, goals);
        earlier(workloads, startup, scaling, goals);
        return goals;
    }

    /** Goal 1: throughput against raw's on the same cores; judged only with the load generator apart. */
    private static void limit(Results.Workload w, boolean clientApart, List<Goal> goals) {
        Results.RawPoint best = w.raw().best();
        double batched = w.batched().at(MANY_CLIENTS).throughput() / best.throughput();
        goals.add(apart(
                w.name() + ": " + MANY_CLIENTS + " clients, " + w.batched().config() + " ÷ raw best (" + best.threads()
                        + " × batch " + best.batchSize() + ")",
                batched,
                clientApart));
        double single = w.unbatched().at(1).throughput() / w.raw().latencyThroughput();
        goals.add(apart(
                w.name() + ": 1 client, " + w.unbatched().config() + " ÷ raw 1 thread, one request at a time",
                single,
                clientApart));
        // Saturated, throughput is CPU-bound: it cannot pass raw's CPU per request over the
        // server's, and the load generator's too where it shares the server's cores.
        Results.HttpPoint busiest = w.batched().busiest();
        double spent = busiest.serverCpuMsPerRequest() + (clientApart ? 0 : busiest.clientCpuMsPerRequest());
        goals.add(new Goal(
                LIMIT,
                w.name() + ": CPU/req raw best ÷ " + (clientApart ? "server" : "(server + client)")
                        + ", busiest point, " + w.batched().config(),
                times(best.cpuMsPerRequest() / spent),
                "what throughput ÷ raw can reach",
                Verdict.INFO));
    }

    private static Goal apart(String name, double ratio, boolean clientApart) {
        String limit = format("≥ %.2f×", LIMIT_SHARE);
        return clientApart
                ? goal(LIMIT, name, times(ratio), limit, ratio >= LIMIT_SHARE)
                : new Goal(LIMIT, name, times(ratio), limit + ", needs --server-cpus/--client-cpus", Verdict.UNCHECKED);
    }

    /** Goal 2: the default batching policy against batching off and against the fixed delay. */
    private static void batching(Results.Workload w, List<Goal> goals) {
        String batched = w.batched().config();
        double p50 = w.batched().at(1).latency().p50Ms()
                / w.unbatched().at(1).latency().p50Ms();
        goals.add(goal(
                BATCHING,
                w.name() + ": p50 at 1 client, " + batched + " ÷ "
                        + w.unbatched().config(),
                times(p50),
                format("≤ %.2f×", BATCHED_P50_RATIO),
                p50 <= BATCHED_P50_RATIO));
        double some = w.batched().at(SOME_CLIENTS).throughput()
                / w.unbatched().at(SOME_CLIENTS).throughput();
        goals.add(goal(
                BATCHING,
                w.name() + ": throughput at " + SOME_CLIENTS + " clients, " + batched + " ÷ "
                        + w.unbatched().config(),
                times(some),
                "≥ 1.00×",
                some >= 1));
        double many = w.batched().at(MANY_CLIENTS).throughput()
                / w.fixedDelay().at(MANY_CLIENTS).throughput();
        goals.add(goal(
                BATCHING,
                w.name() + ": throughput at " + MANY_CLIENTS + " clients, " + batched + " ÷ "
                        + w.fixedDelay().config(),
                times(many),
                "≥ 1.00×",
                many >= 1));
    }

    /** Goal 3: the server's CPU over raw's at the same batch size, and its allocation, at the busiest point. */
    private static void ownCost(Results.Workload w, List<Goal> goals) {
        for (Results.Http http : List.of(w.unbatched(), w.batched())) {
            Results.HttpPoint busiest = http.busiest();
            Results.RawPoint raw = w.raw().like(http.workers(), http.batchSize());
            double overUs = (busiest.serverCpuMsPerRequest() - raw.cpuMsPerRequest()) * 1000;
            goals.add(goal(
                    OWN_COST,
                    w.name() + ": server CPU/req − raw's (" + raw.threads() + " × batch " + raw.batchSize() + "), "
                            + clients(busiest.clients()) + ", " + http.config(),
                    format("%.0f µs", overUs),
                    format("≤ %.0f µs", OWN_CPU_US),
                    overUs <= OWN_CPU_US));
        }
        goals.add(new Goal(
                OWN_COST,
                w.name() + ": allocated per request by the handler alone, raw 1 × batch 1",
                format("%.1f KB", w.raw().latencyKbPerRequest()),
                "included in the server's figures below",
                Verdict.INFO));
        for (Results.Http http : w.servers()) {
            Results.HttpPoint busiest = http.busiest();
            double kb = busiest.serverKbPerRequest();
            String name = w.name() + ": allocated per request, " + clients(busiest.clients()) + ", " + http.config();
            goals.add(
                    Double.isNaN(kb)
                            ? new Goal(
                                    OWN_COST,
                                    name,
                                    "?",
                                    "the server has no " + HttpBenchmark.ALLOCATED,
                                    Verdict.UNCHECKED)
                            : goal(
                                    OWN_COST,
                                    name,
                                    format("%.1f KB", kb),
                                    format("≤ %.0f KB", ALLOCATION_KB),
                                    kb <= ALLOCATION_KB));
        }
    }

    /** Goal 6, and goal 5's thousand connections: both need the scaling run. */
    private static void growth(Results.Scaling scaling, String noScaling, List<Goal> goals) {
        String thousand = MOST_CONNECTIONS + " concurrent keep-alive connections: errors";
        if (scaling == null) {
            goals.add(new Goal(CONNECTIONS, thousand, "?", "0; " + noScaling, Verdict.UNCHECKED));
            goals.add(new Goal(GROWTH, "models and connections", "?", noScaling, Verdict.UNCHECKED));
            return;
        }
        long errors = scaling.connections().at(MOST_CONNECTIONS).errors();
        goals.add(goal(CONNECTIONS, thousand, String.valueOf(errors), "0", errors == 0));
        List<Results.StorePoint> stores = scaling.stores();
        Results.StorePoint fewer = stores.get(stores.size() - 2);
        Results.StorePoint most = stores.get(stores.size() - 1);
        double perModel = (most.residentMb() - fewer.residentMb()) / (most.digits() - fewer.digits());
        goals.add(goal(
                GROWTH,
                "resident memory per added small model (" + fewer.models() + " → " + most.models()
                        + " models, digits copies)",
                format("%.1f MB", perModel),
                format("≤ %.0f MB", MB_PER_SMALL_MODEL),
                perModel <= MB_PER_SMALL_MODEL));
        double manyMs = scaling.with(MANY_MODELS).launchToReadyMs();
        goals.add(goal(
                GROWTH,
                "launch to every model's first answer, " + MANY_MODELS + " models",
                seconds(manyMs),
                "≤ " + seconds(MANY_MODELS_START_MS),
                manyMs <= MANY_MODELS_START_MS));
        goals.add(new Goal(
                GROWTH,
                "first start, natives unpacked into an empty cache",
                seconds(scaling.freshStartMs()),
                "reported, not a goal",
                Verdict.INFO));
    }

    private static void earlier(
            List<Results.Workload> workloads, Results.Startup startup, Results.Scaling scaling, List<Goal> goals) {
        long errors = scaling == null ? 0 : scaling.connections().errors();
        for (Results.Workload w : workloads) {
            double served = w.unbatched().at(1).latency().p50Ms();
            double overhead = served - w.raw().latency().p50Ms();
            goals.add(goal(
                    EARLIER,
                    w.name() + ": server p50 over raw's at 1 client, batching off",
                    ms(overhead),
                    "≤ " + ms(OVERHEAD_P50_MS),
                    overhead <= OVERHEAD_P50_MS));
            double overIdle = served - w.raw().idleLatency().p50Ms();
            goals.add(new Goal(
                    EARLIER,
                    w.name() + ": the same over raw called after " + RawBenchmark.IDLE_MS + " ms idle",
                    ms(overIdle),
                    "what the server adds to an idle worker's call",
                    Verdict.INFO));
            errors += w.servers().stream().mapToLong(Results.Http::errors).sum()
                    + w.raw().latencyErrors()
                    + w.raw().sweep().stream()
                            .mapToLong(Results.RawPoint::errors)
                            .sum();
        }
        goals.add(goal(EARLIER, "request errors, all runs", String.valueOf(errors), "0", errors == 0));
        goals.add(goal(
                EARLIER,
                "launch to first prediction (digits)",
                ms(startup.launchToPredictionMs()),
                "≤ " + ms(LAUNCH_MS),
                startup.launchToPredictionMs() <= LAUNCH_MS));
        goals.add(goal(
                EARLIER,
                "archive dropped into deploy/ to first prediction",
                ms(startup.deployToPredictionMs()),
                "≤ " + ms(DEPLOY_MS),
                startup.deployToPredictionMs() <= DEPLOY_MS));
        goals.add(goal(
                EARLIER,
                "resident memory per added worker",
                format("%.1f MB", startup.residentMbPerWorker()),
                format("≤ %.0f MB", WORKER_MB),
                startup.residentMbPerWorker() <= WORKER_MB));
    }

    private static Goal goal(String group, String name, String measured, String limit, boolean pass) {
        return new Goal(group, name, measured, limit, pass ? Verdict.PASS : Verdict.FAIL);
    }

    private static String ms(double ms) {
        return format("%.2f ms", ms);
    }

    private static String clients(int n) {
        return n == 1 ? "1 client" : n + " clients";
    }

    private static String seconds(double ms) {
        return format("%.1f s", ms / 1000);
    }

    private static String times(double ratio) {
        return format("%.2f×", ratio);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
