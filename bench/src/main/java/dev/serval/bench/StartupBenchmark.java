package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Start-up, hot deploy and memory, on the distribution's own example model store: launch to the
 * first answer of {@code digits}, an archive moved into {@code deploy/} to its first answer,
 * resident memory with the four reference models, and the memory an added worker costs.
 */
final class StartupBenchmark {

    private static final String EXAMPLE = "digits";
    private static final String DEPLOYED = "reviews_distilbert";
    private static final int ADDED_WORKERS = 4;
    private static final double TIMEOUT_SECONDS = 120;

    private final BenchOptions options;
    private final Map<String, Input> inputs;

    /**
     * @param options where the distribution and the reference models are
     * @throws IOException when the reference inputs cannot be read
     */
    StartupBenchmark(BenchOptions options) throws IOException {
        this.options = options;
        Path models = options.models();
        this.inputs = Map.of(
                "digits", Workload.images(models.resolve("digits/images")).get(0),
                "reviews_distilbert",
                        Workload.texts(models.resolve("reviews_distilbert/reference.json"))
                                .get(0),
                "shapes_segmenter",
                        Workload.images(models.resolve("shapes_segmenter/images"))
                                .get(0),
                "shapes_detector",
                        Workload.images(models.resolve("shapes_detector/images"))
                                .get(0));
    }

    /**
     * @return what was measured
     * @throws Exception when a server cannot be started or does not answer
     */
    Results.Startup run() throws Exception {
        Path store = options.dist().resolve("model-store");
        Path root = options.out().resolve("servers");
        double launchMs;
        double deployMs;
        try (ServalServer server =
                ServalServer.launch(options, root.resolve("launch-example"), store, EXAMPLE + ".mar")) {
            launchMs = server.sinceLaunch(
                            server.awaitPrediction(predictions(EXAMPLE), inputs.get(EXAMPLE), TIMEOUT_SECONDS))
                    / 1e6;
            deployMs = deploy(server, store.resolve(DEPLOYED + ".mar"));
        }
        try (ServalServer server = ServalServer.launch(options, root.resolve("launch-all"), store, "all")) {
            long last = 0;
            for (Map.Entry<String, Input> model : inputs.entrySet()) {
                last = Math.max(
                        last, server.awaitPrediction(predictions(model.getKey()), model.getValue(), TIMEOUT_SECONDS));
            }
            double launchAllMs = server.sinceLaunch(last) / 1e6;
            use(server);
            long allModels = server.residentBytes();
            double perWorkerMb = perWorker(server);
            return new Results.Startup(launchMs, launchAllMs, deployMs, allModels / 1e6, perWorkerMb, ADDED_WORKERS);
        }
    }

    /** The archive is copied beside the deploy folder and moved in, so the server never sees half of it. */
    private double deploy(ServalServer server, Path archive) throws IOException, InterruptedException {
        Path staged = server.deployDir().resolveSibling(archive.getFileName());
        Files.copy(archive, staged, StandardCopyOption.REPLACE_EXISTING);
        long dropped = System.nanoTime();
        Files.move(staged, server.deployDir().resolve(archive.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        return (server.awaitPrediction(predictions(DEPLOYED), inputs.get(DEPLOYED), TIMEOUT_SECONDS) - dropped) / 1e6;
    }

    /**
     * Resident memory after {@link #ADDED_WORKERS} more workers of one model have served, less
     * before, per worker. The same load runs before both readings, so the heap has grown alike.
     */
    private double perWorker(ServalServer server) throws Exception {
        load(server, DEPLOYED);
        long before = server.residentBytes();
        HttpConnection.Response scaled = server.manage(
                "PUT",
                "/models/" + DEPLOYED + "?min_worker=" + (1 + ADDED_WORKERS) + "&max_worker=" + (1 + ADDED_WORKERS)
                        + "&synchronous=true");
        if (scaled.status() != 200) {
            throw new IllegalStateException("Scaling failed: " + scaled.status() + " " + scaled.text());
        }
        load(server, DEPLOYED);
        return (server.residentBytes() - before) / 1e6 / ADDED_WORKERS;
    }

    /** Every model answers a few requests, so what a first request allocates is in the reading. */
    private void use(ServalServer server) throws Exception {
        for (String model : inputs.keySet()) {
            load(server, model);
        }
    }

    /** Enough concurrent clients that every worker of the model takes batches. */
    private void load(ServalServer server, String model) throws InterruptedException {
        ConcurrentRun.Result result = HttpLoad.run(
                server.inferencePort(), predictions(model), List.of(inputs.get(model)), 2 * (1 + ADDED_WORKERS), 1);
        if (result.errors() > 0) {
            throw new IllegalStateException(model + ": " + result.firstError());
        }
    }

    private static String predictions(String model) {
        return "/predictions/" + model;
    }
}
