package dev.serval.kernel.metrics;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.serving.ModelVersion;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Per model version gauges read from the registry at scrape time: queue depth, workers, load
 * time. Nothing is recorded while serving, and unregistered versions simply stop appearing.
 */
final class ModelGauges {

    private ModelGauges() {}

    static void register(Catalog models, PrometheusRegistry registry) {
        gauge("serval_queue_depth", "Requests waiting for a worker", ModelVersion::pendingJobs, models, registry);
        gauge("serval_workers_ready", "Workers serving now", ModelVersion::readyWorkers, models, registry);
        gauge(
                "serval_workers_wanted",
                "Workers the version is scaled to",
                v -> v.settings().minWorkers(),
                models,
                registry);
        gauge(
                "serval_model_load_seconds",
                "Time extracting the archive and loading the model took",
                v -> v.loadTime().toNanos() / 1e9,
                models,
                registry);
        gauge(
                "serval_model_failure",
                "1 when the version FAILED or its last replacement was refused, as describe's failure says",
                v -> models.failure(v).isPresent() ? 1 : 0,
                models,
                registry);
    }

    private static void gauge(
            String name,
            String help,
            ToDoubleFunction<ModelVersion> value,
            Catalog models,
            PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("model_name", "model_version")
                .callback(callback ->
                        models.all().forEach(v -> callback.call(value.applyAsDouble(v), v.name(), v.version())))
                .register(registry);
    }
}
