package dev.serval.kernel.metrics;

import dev.serval.serving.ServingObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * TorchServe's per-model metrics, labelled {@code model_name} and {@code model_version}: requests,
 * inference and queue latency, plus the batch sizes the workers run. Each version gets an observer
 * holding its own data points, so a request costs a few lock-free increments and no label lookup.
 */
final class ModelMetrics {

    /** 100 µs to 100 s, ×~3 a step: single digits to a slow large batch. */
    private static final double[] LATENCY_MICROS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 30_000_000, 100_000_000};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Counter requests;
    private final Histogram inferenceLatency;
    private final Histogram queueLatency;
    private final Histogram batchSize;

    ModelMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("ts_inference_requests_total")
                .help("Inference requests received, per model version")
                .labelNames("model_name", "model_version").register(registry);
        // TorchServe counts total microseconds; a histogram's _sum is that count, and its buckets
        // give the percentiles TorchServe's counter cannot.
        inferenceLatency = latency("ts_inference_latency_microseconds",
                "Time the handler or forward pass took for each request's batch, in microseconds", registry);
        queueLatency = latency("ts_queue_latency_microseconds",
                "Time each request waited in the queue for a worker, in microseconds", registry);
        batchSize = Histogram.builder().name("serval_batch_size")
                .help("Requests per handler call or forward pass")
                .labelNames("model_name", "model_version").classicOnly().classicUpperBounds(BATCH_SIZES)
                .register(registry);
    }

    private static Histogram latency(String name, String help, PrometheusRegistry registry) {
        return Histogram.builder().name(name).help(help).labelNames("model_name", "model_version")
                .classicOnly().classicUpperBounds(LATENCY_MICROS).register(registry);
    }

    /**
     * @param model a model's name
     * @param version the version about to serve
     * @return the observer recording its requests
     */
    ServingObserver observerFor(String model, String version) {
        String[] labels = {model, version};
        return new VersionObserver(requests.labelValues(labels), inferenceLatency.labelValues(labels),
                queueLatency.labelValues(labels), batchSize.labelValues(labels));
    }

    /**
     * Drops a version's series, so that {@code /metrics} stops showing a model no longer served.
     *
     * @param model a model's name
     * @param version a version no longer served
     */
    void forget(String model, String version) {
        for (Histogram histogram : List.of(inferenceLatency, queueLatency, batchSize)) {
            histogram.remove(model, version);
        }
        requests.remove(model, version);
    }

    private record VersionObserver(CounterDataPoint requests, DistributionDataPoint inferenceMicros,
            DistributionDataPoint queueMicros, DistributionDataPoint batchSizes) implements ServingObserver {

        @Override
        public void received() {
            requests.inc();
        }

        @Override
        public void dequeued(long queuedNanos) {
            queueMicros.observe(queuedNanos / 1_000.0);
        }

        @Override
        public void batchServed(int size, long nanos) {
            batchSizes.observe(size);
            double micros = nanos / 1_000.0;
            for (int i = 0; i < size; i++) {
                inferenceMicros.observe(micros);
            }
        }
    }
}
