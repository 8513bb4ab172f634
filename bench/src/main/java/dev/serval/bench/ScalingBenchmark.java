package dev.serval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What more models and more connections cost: start-up and resident memory with 1, 10 and 50
 * models loaded (copies of the digits ConvNet and DistilBERT under other names), the first start
 * with an empty native cache, and latency and throughput at 1, 100 and 1000 keep-alive connections.
 */
final class ScalingBenchmark {

    /** Models loaded at start, in turn. */
    static final List<Integer> MODELS = List.of(1, 10, 50);
    /** Concurrent keep-alive connections measured. */
    static final List<Integer> CONNECTIONS = List.of(1, 100, 1000);
    /**
     * DistilBERT copies in every store of more than one model: the same number in each, so that
     * what one more small model costs is the difference between two stores over their digits copies.
     */
    static final int DISTILBERT_COPIES = 2;

    private static final double TIMEOUT_SECONDS = 180;

    private final BenchOptions options;
    private final HttpBenchmark http;

    ScalingBenchmark(BenchOptions options) {
        this.options = options;
        this.http = new HttpBenchmark(options);
    }

    /**
     * @param digits the digits ConvNet's workload, copied as the small models and loaded by the connections
     * @param distilbert DistilBERT's, copied as the larger ones
     * @param workers workers of the model loaded by the connections
     * @return what was measured
     * @throws Exception when a server cannot be started or does not answer
     */
    Results.Scaling run(Workload digits, Workload distilbert, int workers) throws Exception {
        Path root = options.out().resolve("servers").resolve("scaling");
        Bench.progress("scaling: first start with an empty native cache");
        double freshMs = freshStart(digits, root.resolve("fresh"));
        List<Results.StorePoint> stores = new ArrayList<>();
        for (int models : MODELS) {
            Bench.progress("scaling: start-up and memory with " + models + " models");
            stores.add(start(layout(models, digits, distilbert), larger(models), root.resolve(models + "-models")));
        }
        Bench.progress("scaling: " + digits.name() + ", batching off, " + workers + " workers, at " + CONNECTIONS
                + " connections");
        Results.Http connections = http.run(digits, List.of(HttpBenchmark.Batching.OFF), 1, workers, CONNECTIONS, 1)
                .get(0);
        return new Results.Scaling(freshMs, stores, connections);
    }

    /**
     * @param models how many models
     * @param digits the small model
     * @param distilbert the larger one
     * @return one digits copy alone; else {@link #DISTILBERT_COPIES} DistilBERT copies and digits
     *     copies for the rest, each under its own name
     */
    static List<Workload> layout(int models, Workload digits, Workload distilbert) {
        List<Workload> copies = new ArrayList<>();
        for (int i = 0; i < models; i++) {
            Workload model = i < larger(models) ? distilbert : digits;
            copies.add(model.named(String.format(Locale.ROOT, "%s_%02d", model.name(), i)));
        }
        return copies;
    }

    /**
     * @param models how many models
     * @return how many of them {@link #layout} makes DistilBERT copies
     */
    static int larger(int models) {
        return models == 1 ? 0 : Math.min(DISTILBERT_COPIES, models);
    }

    /** Launch to the first answer of digits, the native libraries first unpacked into an empty cache. */
    private double freshStart(Workload digits, Path root) throws Exception {
        Path store = root.resolve("model-store");
        BenchStore.write(store, digits, Map.of());
        Path cache = root.resolve("empty-cache");
        try {
            try (ServalServer server = ServalServer.launch(
                    options.dist(),
                    cache,
                    options.serverJavaOpts(),
                    options.serverCpus(),
                    root,
                    store,
                    digits.name())) {
                return server.sinceLaunch(server.awaitPrediction(
                                "/predictions/" + digits.name(), digits.inputs().get(0), TIMEOUT_SECONDS))
                        / 1e6;
            }
        } finally {
            Folders.deleteTree(cache); // the natives, some 450 MB
        }
    }

    /** Launch to every model's first answer, and resident memory with all of them loaded and used once. */
    private Results.StorePoint start(List<Workload> models, int larger, Path root) throws Exception {
        Path store = root.resolve("model-store");
        for (Workload model : models) {
            BenchStore.write(store, model, Map.of("minWorkers", 1, "maxWorkers", 1));
        }
        try (ServalServer server = ServalServer.launch(options, root, store, "all")) {
            long last = 0;
            for (Workload model : models) {
                last = Math.max(
                        last,
                        server.awaitPrediction(
                                "/predictions/" + model.name(), model.inputs().get(0), TIMEOUT_SECONDS));
            }
            double readyMs = server.sinceLaunch(last) / 1e6;
            return new Results.StorePoint(
                    models.size(), models.size() - larger, larger, readyMs, server.residentBytes() / 1e6);
        }
    }
}
