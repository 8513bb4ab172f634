package dev.serval.bench;

import java.util.function.Predicate;
import java.util.stream.Stream;

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
        return samples(name)
                .filter(line -> labels.test(line.substring(name.length(), line.lastIndexOf(' '))))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * @param name a metric's name as exposed
     * @return whether the exposition has a sample of it
     */
    boolean has(String name) {
        return samples(name).findAny().isPresent();
    }

    /**
     * @param counter a counter without labels, as exposed
     * @param before a scrape before some requests
     * @param after a scrape after them
     * @param requests how many were answered in between
     * @return how much the counter grew per request; NaN when either scrape lacks it or no request was answered
     */
    static double perRequest(String counter, MetricsText before, MetricsText after, long requests) {
        if (requests <= 0 || !before.has(counter) || !after.has(counter)) {
            return Double.NaN;
        }
        return (after.sum(counter, labels -> true) - before.sum(counter, labels -> true)) / requests;
    }

    private Stream<String> samples(String name) {
        return text.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }
}
