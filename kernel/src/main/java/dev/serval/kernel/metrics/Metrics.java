package dev.serval.kernel.metrics;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.serving.ServingObserver;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The server's metrics in two families written one after the other: Serval's own in one Prometheus
 * registry of its own (not the client's global one, so that servers in one JVM, as in tests, count
 * apart), named as Prometheus' conventions ask (per-model serving metrics in seconds, request status
 * counts, and the JVM's memory, allocation, threads, GC and class loading); and TorchServe's under its exact
 * names, for the dashboards built for it. A model version's series last as long as it is served.
 */
public final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final TorchServeMetrics torchServe;
    private final RequestMetrics requests;

    /** @param models the models whose serving is measured from their registration on */
    public Metrics(Catalog models) {
        torchServe = new TorchServeMetrics(models);
        requests = new RequestMetrics(registry, torchServe);
        ModelMetrics modelMetrics = new ModelMetrics(registry);
        models.onPrepare(version -> version.observeWith(new Both(
                modelMetrics.observerFor(version.name(), version.version()),
                torchServe.observerFor(version.name(), version.version()))));
        // A replacement of the same name and version carries the series on; anything else drops them.
        models.onRemove(version -> {
            if (!models.serves(version.name(), version.version())) {
                modelMetrics.forget(version.name(), version.version());
                torchServe.forget(version.name(), version.version());
            }
        });
        ModelGauges.register(models, registry);
        JvmMetrics.builder().register(registry);
        AllocationMetrics.register(registry);
    }

    /** @return the request status counters the HTTP listeners update */
    public RequestMetrics requests() {
        return requests;
    }

    /** @return the media type {@link #write} writes: Prometheus' text format 0.0.4 */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * @param out where to write
     * @param names the metric names wanted (as exposed, e.g. {@code serval_requests_total} or
     *     {@code Requests2XX}); all when empty
     * @throws IOException when writing fails
     */
    public void write(OutputStream out, Set<String> names) throws IOException {
        writer.write(out, names.isEmpty() ? registry.scrape() : registry.scrape(picked(names)));
        torchServe.write(out, names);
    }

    /**
     * @param names metric names as exposed
     * @return the filter the registry asks: a counter with a callback (client 1.10) offers it only
     *     its name without {@code _total}, where a plain counter offers both
     */
    static Predicate<String> picked(Set<String> names) {
        return name -> names.contains(name) || names.contains(name + "_total");
    }

    /** A version's observer for both families. */
    private record Both(ServingObserver serval, ServingObserver torchServe) implements ServingObserver {

        @Override
        public void received() {
            serval.received();
            torchServe.received();
        }

        @Override
        public void dequeued(long queuedNanos) {
            serval.dequeued(queuedNanos);
            torchServe.dequeued(queuedNanos);
        }

        @Override
        public void batchServed(int size, long nanos) {
            serval.batchServed(size, nanos);
            torchServe.batchServed(size, nanos);
        }
    }
}
