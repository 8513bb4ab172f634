package dev.serval.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a soak's figures as tables. */
final class SoakReport {

    private SoakReport() {}

    /**
     * @param report the soak
     * @param out where the tables go
     */
    static void print(SoakResults.Report report, PrintStream out) {
        SoakResults.Settings s = report.settings();
        out.println();
        out.printf(
                Locale.ROOT,
                "Soak: %d clients over %s, %.1f min, warm-up %.0f s, a sample every %.0f s%n",
                s.clients(),
                String.join(", ", s.models()),
                s.minutes(),
                s.warmupSeconds(),
                s.sampleSeconds());
        out.println("Machine: " + report.machine());
        out.printf(
                Locale.ROOT,
                "Server: every model answering %.1f s after launch; log %s%n",
                report.readySeconds(),
                report.serverLog());
        out.println();
        out.printf(
                Locale.ROOT,
                "%-22s %10s %7s %8s %8s %8s %8s%n",
                "load",
                "requests",
                "errors",
                "req/s",
                "p50 ms",
                "p90 ms",
                "p99 ms");
        load("warm-up", report.warmup(), out);
        load("after the warm-up", report.measured(), out);
        out.print("requests per model, server's count:");
        for (Map.Entry<String, Long> model : report.requestsPerModel().entrySet()) {
            out.print(" " + model.getKey() + " " + model.getValue());
        }
        out.println();

        out.println();
        double requestsPerMinute = report.measured().throughput() * 60;
        out.printf(
                Locale.ROOT,
                "%-22s %9s %9s %9s %9s %12s %14s%n",
                "after the warm-up",
                "first",
                "last",
                "min",
                "max",
                "slope/min",
                "per request");
        for (SoakResults.Series series : List.of(report.heap(), report.resident())) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %9.1f %9.1f %9.1f %9.1f %+12.3f %+12.1f B%n",
                    series.name() + ", MB",
                    series.start(),
                    series.end(),
                    series.min(),
                    series.max(),
                    series.slopePerMinute(),
                    series.slopePerMinute() * 1e6 / requestsPerMinute);
        }
        for (SoakResults.Series series : List.of(report.threads(), report.openFiles())) {
            out.printf(
                    Locale.ROOT,
                    "%-22s %9.0f %9.0f %9.0f %9.0f %+12.3f%n",
                    series.name(),
                    series.start(),
                    series.end(),
                    series.min(),
                    series.max(),
                    series.slopePerMinute());
        }

        out.println();
        out.println("Samples (heap after a full GC; the server process's resident memory, threads and fds):");
        report.samples().forEach(sample -> out.println("  " + sample));
        Report.printGoals(report.goals(), out);
        out.println(report.pass() ? "PASS" : "FAIL");
    }

    private static void load(String phase, ConcurrentRun.Result run, PrintStream out) {
        Latencies.Summary latency = run.latency();
        out.printf(
                Locale.ROOT,
                "%-22s %10d %7d %8.1f %8.2f %8.2f %8.2f%n",
                String.format(Locale.ROOT, "%s (%.0f s)", phase, run.seconds()),
                run.requests(),
                run.errors(),
                run.throughput(),
                latency.p50Ms(),
                latency.p90Ms(),
                latency.p99Ms());
        run.firstErrors().forEach(error -> out.println("    error: " + error));
    }
}
