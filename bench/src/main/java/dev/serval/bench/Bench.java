package dev.serval.bench;

import dev.serval.serving.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Serval against raw DJL, in one run on one machine: each reference workload in-process, then
 * over HTTP with batching off, with TorchServe's fixed delay and with the default policy, then
 * start-up, hot deploy and memory, then (unless {@code --no-scaling}) the cost of 1 to 50 models
 * and 1 to 1000 connections; the figures are printed and written to {@code bench-results.json},
 * with issue 23's goals marked PASS or FAIL.
 */
@Command(
        name = "serval-bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        description = "Serval over HTTP against raw DJL in-process: latency, throughput, start-up and memory.")
public final class Bench implements Callable<Integer> {

    @Mixin
    private BenchOptions options;

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isExecutable(options.dist().resolve("bin/serval"))) {
            throw new IllegalStateException("No distribution at " + options.dist() + ": build it first "
                    + "(mvn -q package -DskipTests -pl bench -am)");
        }
        Folders.deleteTree(options.out().resolve("servers"));
        Map<String, Object> machine = Machine.describe();
        if (options.pinned()) {
            machine.put("serverCpus", options.serverCpus());
            machine.put("clientCpus", options.clientCpus());
        }

        // The same engine set-up as the server's: offline, same native cache, same intra-op threads.
        Engines.initialize(options.cacheDir().toAbsolutePath());
        RawBenchmark raw = new RawBenchmark(options);
        HttpBenchmark http = new HttpBenchmark(options);
        List<Workload> all = Workload.all(options.models());
        List<Results.Workload> workloads = new ArrayList<>();
        for (Workload workload : all) {
            progress(workload.name() + ": raw in-process");
            pin(options.serverCpus());
            Results.Raw limit = raw.run(workload);
            pin(options.clientCpus());
            // As many workers as the raw best ran threads: the same parallelism on the same cores.
            int workers =
                    options.workers() > 0 ? options.workers() : limit.best().threads();
            // Batched at raw's best batch size above 1: where raw does best one by one (a busy
            // machine's sweep can say so), batch 1 would make the batched servers unbatched.
            int batchSize = limit.bestBatched().batchSize();
            progress(workload.name() + ": servers " + HttpBenchmark.Batching.OFF.label() + ", "
                    + HttpBenchmark.Batching.FIXED.label() + " and " + HttpBenchmark.Batching.DEFAULT.label()
                    + " (batchSize " + batchSize + "), " + workers + " workers, " + options.rounds()
                    + " interleaved rounds");
            List<Results.Http> servers = http.run(
                    workload,
                    List.of(HttpBenchmark.Batching.values()),
                    batchSize,
                    workers,
                    HttpBenchmark.CLIENTS,
                    options.rounds());
            workloads.add(new Results.Workload(workload.name(), limit, servers.get(0), servers.get(1), servers.get(2)));
        }
        progress("start-up, hot deploy and memory");
        Results.Startup startup = new StartupBenchmark(options).run();
        Results.Scaling scaling = null;
        String noScaling = "needs --scaling";
        if (options.scaling()) {
            // The other figures are worth reporting when, say, 50 models do not come up in time.
            try {
                // The connections load the first workload's model with as many workers as it had.
                scaling = new ScalingBenchmark(options)
                        .run(
                                all.get(0),
                                all.get(all.size() - 1),
                                workloads.get(0).unbatched().workers());
            } catch (Exception e) {
                noScaling = "the scaling run failed: " + e.getMessage();
                progress(noScaling);
            }
        }
        machine.put("loadAverageAtEnd", Machine.loadAverage());

        Results.Report report = new Results.Report(
                machine,
                workloads,
                startup,
                scaling,
                Goals.check(workloads, startup, scaling, noScaling, options.pinned()));
        Report.print(report, System.out);
        Path json = options.out().resolve("bench-results.json");
        Report.write(report, json);
        System.out.println("\nWritten to " + json);
        return 0;
    }

    /** Moves this JVM to {@code cpus}, when the run is pinned. */
    private void pin(String cpus) throws IOException, InterruptedException {
        if (options.pinned()) {
            Cpus.pinThisProcess(cpus);
        }
    }

    /** @param step what the run does now, on stderr so that the report on stdout stays clean */
    static void progress(String step) {
        System.err.println("[bench] " + step);
    }
}
