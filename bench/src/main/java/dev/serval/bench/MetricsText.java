package dev.serval.bench;

import java.util.function.Predicate;

/**
 * A Prometheus text exposition, read as a scraper would: each sample a line of its series (name
 * and labels) and its value.
 */
final class MetricsText {

    private final String text;

    /** @param text the exposition */
    MetricsText(String text) {
        this.text = text;
    }

    /**
     * @param name a metric's name as exposed, e.g. {@code jvm_memory_pool_collection_used_bytes}
     * @param labels which series count, by their labels as exposed, e.g. {@code {pool="G1 Old Gen"}}
     *     (empty for a series without labels)
     * @return the sum of the values of those series; 0 when there are none
     */
    double sum(String name, Predicate<String> labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.test(line.substring(name.length(), line.lastIndexOf(' '))))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
