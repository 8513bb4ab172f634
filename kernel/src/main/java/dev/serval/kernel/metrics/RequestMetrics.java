package dev.serval.kernel.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * TorchServe's {@code Requests2XX}, {@code Requests4XX} and {@code Requests5XX}: the answers of
 * the inference and management APIs by status class. The client library exposes counters with
 * the {@code _total} suffix OpenMetrics requires: {@code Requests2XX_total}.
 */
public final class RequestMetrics {

    private final CounterDataPoint ok;
    private final CounterDataPoint clientErrors;
    private final CounterDataPoint serverErrors;

    RequestMetrics(PrometheusRegistry registry) {
        ok = counter("Requests2XX", "Requests answered 1XX, 2XX or 3XX", registry);
        clientErrors = counter("Requests4XX", "Requests answered 4XX", registry);
        serverErrors = counter("Requests5XX", "Requests answered 5XX", registry);
    }

    private static CounterDataPoint counter(String name, String help, PrometheusRegistry registry) {
        return Counter.builder().name(name).help(help).labelNames("Level").register(registry).labelValues("Host");
    }

    /** @param status the status a request was answered with */
    public void answered(int status) {
        if (status >= 500) {
            serverErrors.inc();
        } else if (status >= 400) {
            clientErrors.inc();
        } else {
            ok.inc();
        }
    }
}
