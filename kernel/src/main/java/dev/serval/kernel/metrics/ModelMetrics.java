package dev.serval.kernel.metrics;

import dev.serval.serving.ServingObserver;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * Serval's own per-model metrics, labelled {@code model_name} and {@code model_version}, named and
 * measured as Prometheus' conventions ask (a base unit, seconds, in the name; histograms for
 * latencies): requests, handler and queue time, and the batch sizes the workers run. Each version
 * gets an observer holding its own data points, so a request costs a few lock-free increments and
 * no label lookup. {@link TorchServeMetrics} shows the same under TorchServe's names.
 */
final class ModelMetrics {

    /** 100 µs to 100 s, ×~3 a step: single digits to a slow large batch. */
    private static final double[] LATENCY_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 100
    };

    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Counter requests;
    private final Histogram inferenceLatency;
    private final Histogram queueLatency;
    private final Histogram batchSize;

    ModelMetrics(PrometheusRegistry registry) {
        requests = Counter.builder()
                .name("serval_requests_total")
                .help("Inference requests received, per model version")
                .labelNames("model_name", "model_version")
                .register(registry);
        inferenceLatency = latency(
                "serval_inference_duration_seconds",
                "Time the handler or forward pass took for each request's batch",
                registry);
        queueLatency =
                latency("serval_queue_wait_seconds", "Time each request waited in the queue for a worker", registry);
        batchSize = Histogram.builder()
                .name("serval_batch_size")
                .help("Requests per handler call or forward pass")
                .labelNames("model_name", "model_version")
                .classicOnly()
                .classicUpperBounds(BATCH_SIZES)
                .register(registry);
    }

    private static Histogram latency(String name, String help, PrometheusRegistry registry) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .labelNames("model_name", "model_version")
                .classicOnly()
                .classicUpperBounds(LATENCY_SECONDS)
                .register(registry);
    }

    /**
     * @param model a model's name
     * @param version the version about to serve
     * @return the observer recording its requests
     */
    ServingObserver observerFor(String model, String version) {
        String[] labels = {model, version};
        return new VersionObserver(
                requests.labelValues(labels),
                inferenceLatency.labelValues(labels),
                queueLatency.labelValues(labels),
                batchSize.labelValues(labels));
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

    private record VersionObserver(
            CounterDataPoint requests,
            DistributionDataPoint inferenceSeconds,
            DistributionDataPoint queueSeconds,
            DistributionDataPoint batchSizes)
            implements ServingObserver {

        @Override
        public void received() {
            requests.inc();
        }

        @Override
        public void dequeued(long queuedNanos) {
            queueSeconds.observe(queuedNanos / 1e9);
        }

        @Override
        public void batchServed(int size, long nanos) {
            batchSizes.observe(size);
            double seconds = nanos / 1e9;
            for (int i = 0; i < size; i++) {
                inferenceSeconds.observe(seconds);
            }
        }
    }
}
