package dev.serval.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Prints a run's figures as tables and writes them as JSON. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /**
     * @param report the run
     * @param out where the tables go
     */
    static void print(Results.Report report, PrintStream out) {
        out.println();
        out.println("Machine: " + report.machine());
        for (Results.Workload w : report.workloads()) {
            out.println();
            out.println("== " + w.name());
            Latencies.Summary raw = w.raw().latency();
            out.printf(Locale.ROOT, "raw in-process, 1 thread, batch 1: p50 %.3f  p90 %.3f  p99 %.3f ms, "
                    + "CPU %.3f ms/req; %s%n", raw.p50Ms(), raw.p90Ms(), raw.p99Ms(),
                    w.raw().latencyCpuMsPerRequest(), w.raw().warmup().describe());
            Latencies.Summary idle = w.raw().idleLatency();
            out.printf(Locale.ROOT, "raw in-process, 1 thread, each call after %.1f ms idle: p50 %.3f  p90 %.3f  p99 %.3f ms%n",
                    RawBenchmark.IDLE_MS, idle.p50Ms(), idle.p90Ms(), idle.p99Ms());
            out.println("raw throughput, threads × batch size:     req/s  CPU ms/req");
            for (Results.RawPoint p : w.raw().sweep()) {
                out.printf(Locale.ROOT, "  %d × %-3d %33.0f %11.3f%n", p.threads(), p.batchSize(), p.throughput(),
                        p.cpuMsPerRequest());
            }
            Results.RawPoint best = w.raw().best();
            out.printf(Locale.ROOT, "  best: %.0f req/s (%d threads, batch %d); best on 1 thread: %.0f req/s%n",
                    best.throughput(), best.threads(), best.batchSize(), w.raw().bestSingleThread().throughput());
            out.printf(Locale.ROOT, "%-30s %8s %9s %9s %9s %9s %7s %8s %14s %14s%n", "server over HTTP", "clients",
                    "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "vs raw", "srv CPU ms/req", "cli CPU ms/req");
            for (Results.Http http : new Results.Http[] {w.unbatched(), w.batched()}) {
                String label = "batchSize " + http.settings().get("batchSize") + ", delay "
                        + http.settings().get("maxBatchDelay") + " ms";
                for (Results.HttpPoint p : http.points()) {
                    out.printf(Locale.ROOT, "%-30s %8d %9.0f %9.3f %9.3f %9.3f %7d %7.2f× %14.3f %14.3f%n", label,
                            p.clients(), p.throughput(), p.latency().p50Ms(), p.latency().p90Ms(), p.latency().p99Ms(),
                            p.errors(), p.throughput() / best.throughput(), p.serverCpuMsPerRequest(),
                            p.clientCpuMsPerRequest());
                    if (p.firstError() != null) {
                        out.println("    first error: " + p.firstError());
                    }
                }
            }
            for (Results.Http http : new Results.Http[] {w.unbatched(), w.batched()}) {
                out.println("  batchSize " + http.settings().get("batchSize") + " server: " + http.warmup().describe());
            }
        }
        Results.Startup s = report.startup();
        out.println();
        out.printf(Locale.ROOT, "launch to first prediction: %.0f ms (digits only), %.0f ms (all four example models)%n",
                s.launchToPredictionMs(), s.launchAllToPredictionMs());
        out.printf(Locale.ROOT, "archive moved into deploy/ to first prediction: %.0f ms%n", s.deployToPredictionMs());
        out.printf(Locale.ROOT, "resident memory, four reference models loaded: %.0f MB; per added worker: %.1f MB "
                + "(%d added)%n", s.residentMbAllModels(), s.residentMbPerWorker(), s.workersAdded());
        out.println();
        out.println("Goals:");
        printGoals(report.goals(), out);
    }

    /**
     * @param goals what was checked
     * @param out where they go, one a line, marked PASS or FAIL
     */
    static void printGoals(List<Results.Goal> goals, PrintStream out) {
        for (Results.Goal g : goals) {
            out.printf(Locale.ROOT, "  [%s] %-62s %12s  (%s)%n", g.pass() ? "PASS" : "FAIL", g.name(), g.measured(),
                    g.limit());
        }
    }

    /**
     * @param report a run's records
     * @param file where to write them as JSON
     * @throws IOException when it cannot be written
     */
    static void write(Object report, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), report);
    }
}
