package dev.serval.distribution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition, as a scraper would. */
final class PrometheusText {

    private static final Pattern TYPE =
            Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) " + "(counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)"
            + "(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? "
            + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final List<String> SUFFIXES = List.of("_total", "_bucket", "_count", "_sum", "_created");

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
        return text.lines()
                .filter(line -> line.startsWith(series + " "))
                .map(line -> Double.parseDouble(
                        line.substring(series.length() + 1).trim().split(" ")[0]))
                .findFirst();
    }

    /** @return the value, or 0 when the series does not exist yet (a counter never incremented) */
    double count(String series) {
        return value(series).orElse(0.0);
    }

    /**
     * Parses the exposition as Prometheus' text format 0.0.4 and fails on what a scraper would
     * reject: a line that is no comment and no sample ({@code name{label="value",...} number}), a
     * family typed twice, a sample of a family not typed before it.
     *
     * @return each family's type, in the order written
     */
    Map<String, String> types() {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (types.put(type.group(1), type.group(2)) != null) {
                    throw new AssertionError("family typed twice: " + line);
                }
            } else if (!line.startsWith("# HELP ") && !line.isEmpty()) {
                Matcher sample = SAMPLE.matcher(line);
                if (!sample.matches()) {
                    throw new AssertionError("not a sample: " + line);
                }
                String name = sample.group(1);
                if (types.keySet().stream()
                        .noneMatch(family -> name.equals(family)
                                || SUFFIXES.stream().anyMatch(suffix -> name.equals(family + suffix)))) {
                    throw new AssertionError("sample of no family typed before it: " + line);
                }
            }
        }
        return types;
    }

    /** @return whether a sample of that name, with or without labels, is exposed */
    boolean hasSample(String name) {
        return text.lines().anyMatch(line -> line.startsWith(name + "{") || line.startsWith(name + " "));
    }

    boolean hasFamily(String name) {
        return text.lines().anyMatch(line -> line.startsWith("# TYPE " + name + " "));
    }

    @Override
    public String toString() {
        return text;
    }
}
