package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: one server with the four reference models under a steady closed-loop load for a
 * long time, every answer a 200, and the server's heap, resident memory, threads and file
 * descriptors flat once warmed up; the figures are printed and written to
 * {@code soak-results.json}, with the checks marked PASS or FAIL and the exit code 1 on a FAIL.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        description = "Serval under a steady load over the four reference models: errors, memory, threads, fds.")
public final class Soak implements Callable<Integer> {

    private static final double READY_TIMEOUT_SECONDS = 180;
    /** No sample starts this close to the end of the load, so that every sample sees all the clients connected. */
    private static final double END_MARGIN_SECONDS = 3;

    @Option(names = "--minutes", paramLabel = "MINUTES", description = "how long the load runs, warm-up included")
    double minutes = 10;

    @Option(
            names = "--clients",
            paramLabel = "N",
            description = "concurrent keep-alive clients, dealt to the models in turn")
    int clients = 32;

    @Option(
            names = "--warmup",
            paramLabel = "SECONDS",
            description = "the first part of the run, left out of the "
                    + "trends; by default a fifth of the run, at least 30 s, at most half")
    Double warmupSeconds;

    @Option(names = "--sample-every", paramLabel = "SECONDS", description = "time between samples")
    double sampleSeconds = 10;

    @Option(
            names = "--max-heap-slope",
            paramLabel = "MB/min",
            description = "heap after a full GC, slope after the warm-up")
    double maxHeapSlope = 1;

    @Option(names = "--max-rss-slope", paramLabel = "MB/min", description = "resident memory, slope after the warm-up")
    double maxResidentSlope = 1;

    @Option(
            names = "--max-growth",
            paramLabel = "N",
            description = "threads or fds the last sample may have over " + "the first after the warm-up")
    int maxGrowth = 2;

    @Option(names = "--dist", paramLabel = "DIR", description = "the built distribution")
    Path dist = Path.of("distribution/target/serval");

    @Option(names = "--models", paramLabel = "DIR", description = "the reference models and inputs")
    Path models = Path.of("distribution/models");

    @Option(names = "--cache", paramLabel = "DIR", description = "the native library cache, shared with the tests")
    Path cache = Path.of("target/native-cache");

    @Option(names = "--out", paramLabel = "DIR", description = "where the results and the server's folder go")
    Path out = Path.of("bench/target");

    /**
     * A fixed heap, touched in full at start: left to size itself, G1 grows and shrinks the heap
     * by a hundred megabytes and more around each full collection a sample asks for, and resident
     * memory with it, which would hide any other trend; fixed, resident memory moves only with
     * what lies outside the heap (native engines, thread stacks, metaspace, code), and the heap's
     * own trend is that of the heap after a full GC.
     */
    @Option(names = "--server-java-opts", paramLabel = "OPTS", description = "the server's JAVA_OPTS")
    String serverJavaOpts = "-Xms512m -Xmx512m -XX:+AlwaysPreTouch";

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        return run().pass() ? 0 : 1;
    }

    /**
     * Runs the soak, prints its figures and writes them to {@code soak-results.json}.
     *
     * @return what it measured and checked
     * @throws Exception when the server cannot be started or sampled
     */
    SoakResults.Report run() throws Exception {
        if (!Files.isExecutable(dist.resolve("bin/serval"))) {
            throw new IllegalStateException(
                    "No distribution at " + dist + ": build it first " + "(mvn -q package -DskipTests -pl bench -am)");
        }
        double seconds = minutes * 60;
        double warmup = warmupSeconds != null ? warmupSeconds : Math.min(Math.max(seconds / 5, 30), seconds / 2);
        Map<String, List<Input>> inputs = inputs();
        List<HttpLoad.Target> targets = inputs.entrySet().stream()
                .map(model -> new HttpLoad.Target(predictions(model.getKey()), model.getValue()))
                .toList();
        Map<String, Object> machine = Machine.describe();
        Path root = out.resolve("soak");
        Folders.deleteTree(root);

        try (ServalServer server =
                ServalServer.launch(dist, cache, serverJavaOpts, "", root, dist.resolve("model-store"), "all")) {
            long ready = 0;
            for (Map.Entry<String, List<Input>> model : inputs.entrySet()) {
                ready = Math.max(
                        ready,
                        server.awaitPrediction(
                                predictions(model.getKey()), model.getValue().get(0), READY_TIMEOUT_SECONDS));
            }
            progress(String.format(
                    Locale.ROOT,
                    "every model answering %.1f s after launch; %d clients for " + "%.1f min, warm-up %.0f s",
                    server.sinceLaunch(ready) / 1e9,
                    clients,
                    minutes,
                    warmup));

            long start = System.nanoTime();
            // Samples fall half an interval either side of the warm-up's end, where the clients reconnect.
            double first = (warmup + sampleSeconds / 2) % sampleSeconds;
            ConcurrentRun.Result warm;
            ConcurrentRun.Result measured;
            List<SoakSampler.Sample> samples;
            try (SoakSampler sampler =
                    SoakSampler.start(server, start, first, sampleSeconds, seconds - END_MARGIN_SECONDS)) {
                warm = HttpLoad.run(server.inferencePort(), targets, clients, warmup);
                progress("warm-up done: " + warm.requests() + " requests, " + warm.errors() + " errors");
                measured = HttpLoad.run(server.inferencePort(), targets, clients, seconds - warmup);
                samples = sampler.samples();
            }
            Map<String, Long> perModel = requestsPerModel(server, inputs.keySet());
            machine.put("loadAverageAtEnd", Machine.loadAverage());
            SoakResults.Report report =
                    report(machine, warmup, server, server.sinceLaunch(ready) / 1e9, warm, measured, perModel, samples);
            SoakReport.print(report, System.out);
            Path json = out.resolve("soak-results.json");
            Report.write(report, json);
            System.out.println("Written to " + json);
            return report;
        }
    }

    private SoakResults.Report report(
            Map<String, Object> machine,
            double warmup,
            ServalServer server,
            double readySeconds,
            ConcurrentRun.Result warm,
            ConcurrentRun.Result measured,
            Map<String, Long> perModel,
            List<SoakSampler.Sample> samples) {
        List<SoakSampler.Sample> after =
                samples.stream().filter(s -> s.seconds() >= warmup).toList();
        SoakResults.Series heap = Trend.of("heap after a full GC", after, SoakSampler.Sample::heapMb);
        SoakResults.Series resident = Trend.of("resident memory", after, SoakSampler.Sample::residentMb);
        SoakResults.Series threads = Trend.of("threads", after, SoakSampler.Sample::threads);
        SoakResults.Series openFiles = Trend.of("open file descriptors", after, SoakSampler.Sample::openFiles);
        List<Results.Goal> goals = SoakGoals.check(
                warm,
                measured,
                after.size(),
                heap,
                resident,
                threads,
                openFiles,
                new SoakGoals.Limits(maxHeapSlope, maxResidentSlope, maxGrowth));
        SoakResults.Settings settings =
                new SoakResults.Settings(List.copyOf(perModel.keySet()), clients, minutes, warmup, sampleSeconds);
        return new SoakResults.Report(
                machine,
                settings,
                readySeconds,
                server.log().toString(),
                warm,
                measured,
                perModel,
                samples,
                heap,
                resident,
                threads,
                openFiles,
                goals);
    }

    /** The server's own count, as a cross-check of the clients' and to show how the load was shared. */
    private static Map<String, Long> requestsPerModel(ServalServer server, Collection<String> models)
            throws IOException {
        String requests = "ts_inference_requests_total";
        MetricsText served = server.metrics(requests);
        Map<String, Long> perModel = new LinkedHashMap<>();
        for (String model : models) {
            String label = "model_name=\"" + model + "\"";
            perModel.put(model, (long) served.sum(requests, labels -> labels.contains(label)));
        }
        return perModel;
    }

    /** The four reference models and their reference inputs, in the order the clients are dealt to them. */
    private Map<String, List<Input>> inputs() throws IOException {
        Map<String, List<Input>> inputs = new LinkedHashMap<>();
        inputs.put("digits", Workload.images(models.resolve("digits/images")));
        // Beside each scene lies its expected mask, which is no input.
        inputs.put("shapes_segmenter", Workload.images(models.resolve("shapes_segmenter/images"), "scene_??.png"));
        inputs.put("shapes_detector", Workload.images(models.resolve("shapes_detector/images")));
        inputs.put("reviews_distilbert", Workload.texts(models.resolve("reviews_distilbert/reference.json")));
        return inputs;
    }

    private static String predictions(String model) {
        return "/predictions/" + model;
    }

    private static void progress(String step) {
        System.err.println("[soak] " + step);
    }
}
