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

    private Report() {}

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
            out.printf(
                    Locale.ROOT,
                    "raw in-process, 1 thread, batch 1: p50 %.3f  p90 %.3f  p99 %.3f ms, "
                            + "CPU %.3f ms/req, heap %.1f KB/req; %s%n",
                    raw.p50Ms(),
                    raw.p90Ms(),
                    raw.p99Ms(),
                    w.raw().latencyCpuMsPerRequest(),
                    w.raw().latencyKbPerRequest(),
                    w.raw().warmup().describe());
            Latencies.Summary idle = w.raw().idleLatency();
            out.printf(
                    Locale.ROOT,
                    "raw in-process, 1 thread, each call after %.1f ms idle: p50 %.3f  p90 %.3f  p99 %.3f ms%n",
                    RawBenchmark.IDLE_MS,
                    idle.p50Ms(),
                    idle.p90Ms(),
                    idle.p99Ms());
            out.println("raw throughput, threads × batch size:     req/s  CPU ms/req");
            for (Results.RawPoint p : w.raw().sweep()) {
                out.printf(
                        Locale.ROOT,
                        "  %d × %-3d %33.0f %11.3f%n",
                        p.threads(),
                        p.batchSize(),
                        p.throughput(),
                        p.cpuMsPerRequest());
            }
            Results.RawPoint best = w.raw().best();
            out.printf(
                    Locale.ROOT,
                    "  best: %.0f req/s (%d threads, batch %d); best on 1 thread: %.0f req/s%n",
                    best.throughput(),
                    best.threads(),
                    best.batchSize(),
                    w.raw().bestSingleThread().throughput());
            out.printf(
                    Locale.ROOT,
                    "server over HTTP (%d workers)%n",
                    w.unbatched().workers());
            printServers(w.servers(), best.throughput(), out);
        }
        Results.Startup s = report.startup();
        out.println();
        out.printf(
                Locale.ROOT,
                "launch to first prediction: %.0f ms (digits only), %.0f ms (all four example models)%n",
                s.launchToPredictionMs(),
                s.launchAllToPredictionMs());
        out.printf(Locale.ROOT, "archive moved into deploy/ to first prediction: %.0f ms%n", s.deployToPredictionMs());
        out.printf(
                Locale.ROOT,
                "resident memory, four reference models loaded: %.0f MB; per added worker: %.1f MB " + "(%d added)%n",
                s.residentMbAllModels(),
                s.residentMbPerWorker(),
                s.workersAdded());
        if (report.scaling() != null) {
            // The connections' server serves the first workload's model.
            printScaling(
                    report.scaling(), report.workloads().get(0).raw().best().throughput(), out);
        }
        printGoals(report.goals(), out);
    }

    /** One line per server and client count; the throughput also as a share of raw's best. */
    private static void printServers(List<Results.Http> servers, double rawBest, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "  %-34s %7s %8s %11s %8s %8s %8s %6s %7s %8s %8s %8s %6s%n",
                "batching (batchSize, delay)",
                "clients",
                "req/s",
                "rounds",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "errors",
                "vs raw",
                "srv ms",
                "cli ms",
                "srv KB",
                "batch");
        for (Results.Http http : servers) {
            String label = http.config() + " (" + http.batchSize() + ", "
                    + http.settings().get("maxBatchDelay") + " ms)";
            for (Results.HttpPoint p : http.points()) {
                out.printf(
                        Locale.ROOT,
                        "  %-34s %7d %8.0f %11s %8.3f %8.3f %8.3f %6d %6.2f× %8.3f %8.3f %8.1f %6.2f%n",
                        label,
                        p.clients(),
                        p.throughput(),
                        range(p.roundThroughputs()),
                        p.latency().p50Ms(),
                        p.latency().p90Ms(),
                        p.latency().p99Ms(),
                        p.errors(),
                        p.throughput() / rawBest,
                        p.serverCpuMsPerRequest(),
                        p.clientCpuMsPerRequest(),
                        p.serverKbPerRequest(),
                        p.meanBatchSize());
                if (p.firstError() != null) {
                    out.println("    first error: " + p.firstError());
                }
            }
        }
        out.println("  (req/s: the median round, the servers' rounds interleaved; rounds: the range of all; "
                + "srv/cli ms: CPU time per request of the server and of the load generator; "
                + "srv KB: the server's heap allocation per request; batch: requests per batch run)");
        for (Results.Http http : servers) {
            out.println("  " + http.config() + ": " + http.warmup().describe());
        }
    }

    /** @return the lowest and highest of the rounds' throughputs, or the one */
    private static String range(List<Double> throughputs) {
        double low = throughputs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double high =
                throughputs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return throughputs.size() < 2
                ? String.format(Locale.ROOT, "%.0f", low)
                : String.format(Locale.ROOT, "%.0f–%.0f", low, high);
    }

    private static void printScaling(Results.Scaling scaling, double rawBest, PrintStream out) {
        out.println();
        out.println("== cost with more models (copies of digits and DistilBERT, 1 worker each) and connections");
        out.printf(
                Locale.ROOT,
                "  %-24s %-24s %20s %12s%n",
                "models loaded at start",
                "of which",
                "launch to all ready",
                "resident");
        for (Results.StorePoint p : scaling.stores()) {
            out.printf(
                    Locale.ROOT,
                    "  %-24d %-24s %17.0f ms %9.0f MB%n",
                    p.models(),
                    p.digits() + " digits" + (p.distilbert() == 0 ? "" : ", " + p.distilbert() + " DistilBERT"),
                    p.launchToReadyMs(),
                    p.residentMb());
        }
        out.printf(
                Locale.ROOT,
                "  first start, natives unpacked into an empty cache (digits only): %.0f ms%n",
                scaling.freshStartMs());
        out.println("  keep-alive connections, one model:");
        printServers(List.of(scaling.connections()), rawBest, out);
    }

    /**
     * @param goals what was checked
     * @param out where they go, one a line, marked PASS or FAIL
     */
    static void printGoals(List<Results.Goal> goals, PrintStream out) {
        String group = null;
        for (Results.Goal g : goals) {
            if (!g.group().equals(group)) {
                group = g.group();
                out.println();
                out.println(group.isEmpty() ? "Checks:" : "Goals " + group + ":");
            }
            out.printf(
                    Locale.ROOT,
                    "  [%-4s] %-80s %12s  (%s)%n",
                    g.verdict() == Results.Verdict.UNCHECKED
                            ? "N/A"
                            : g.verdict().name(),
                    g.name(),
                    g.measured(),
                    g.limit());
        }
        long failed =
                goals.stream().filter(g -> g.verdict() == Results.Verdict.FAIL).count();
        long passed =
                goals.stream().filter(g -> g.verdict() == Results.Verdict.PASS).count();
        out.printf(
                Locale.ROOT,
                "%n%d passed, %d failed, %d not judged by this run%n",
                passed,
                failed,
                goals.stream()
                        .filter(g -> g.verdict() == Results.Verdict.UNCHECKED)
                        .count());
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
