package dev.serval.kernel.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The answers of the inference and management APIs by status class: Serval's
 * {@code serval_responses_total} labelled {@code status_class} ({@code 2XX}, ...), and
 * TorchServe's {@code Requests2XX}, {@code Requests4XX} and {@code Requests5XX}.
 */
public final class RequestMetrics {

    private final Counter responses;
    private final TorchServeMetrics torchServe;

    RequestMetrics(PrometheusRegistry registry, TorchServeMetrics torchServe) {
        this.torchServe = torchServe;
        responses = Counter.builder()
                .name("serval_responses_total")
                .help("Requests answered by the inference and management APIs, per status class")
                .labelNames("status_class")
                .register(registry);
    }

    /** @param status the status a request was answered with */
    public void answered(int status) {
        responses.labelValues(status / 100 + "XX").inc();
        torchServe.answered(status);
    }
}
