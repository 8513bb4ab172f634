package dev.serval.distribution;

import java.util.Optional;

/** Reads samples out of a Prometheus text exposition, as a scraper would. */
final class PrometheusText {

    private final String text;

    PrometheusText(String text) {
        this.text = text;
    }

    /**
     * @param series the sample's name and labels exactly as exposed, e.g.
     *     {@code ts_inference_requests_total{model_name="digits",model_version="1.0"}}
     * @return its value, when the exposition has it
     */
    Optional<Double> value(String series) {
        return text.lines().filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]))
                .findFirst();
    }

    /** @return the value, or 0 when the series does not exist yet (a counter never incremented) */
    double count(String series) {
        return value(series).orElse(0.0);
    }

    boolean hasFamily(String name) {
        return text.lines().anyMatch(line -> line.startsWith("# TYPE " + name + " "));
    }

    @Override
    public String toString() {
        return text;
    }
}
