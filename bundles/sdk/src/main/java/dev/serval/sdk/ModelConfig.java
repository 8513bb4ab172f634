package dev.serval.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A model's {@code model-config.yaml}, TorchServe's per-archive configuration.
 *
 * <p>Top-level keys ({@code minWorkers}, {@code batchSize}, ...) are read by the server. The
 * {@code handler:} section belongs to the handler; its typed accessors below throw
 * {@link IllegalArgumentException} naming the key when a value has the wrong type, so a
 * misconfigured archive fails at load time with a message that says what to fix.
 */
public final class ModelConfig {

    private static final ModelConfig EMPTY = new ModelConfig(Map.of());

    private final Map<String, Object> values;

    private ModelConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * @param values the parsed YAML document: maps, lists, strings, numbers, booleans
     * @return the model config holding them
     */
    public static ModelConfig of(Map<String, Object> values) {
        return values == null || values.isEmpty() ? EMPTY : new ModelConfig(values);
    }

    /** @return a config with no keys, for archives without {@code model-config.yaml} */
    public static ModelConfig empty() {
        return EMPTY;
    }

    /** @return the whole document */
    public Map<String, Object> asMap() {
        return values;
    }

    /** @return the {@code handler:} section; empty when absent */
    @SuppressWarnings("unchecked")
    public Map<String, Object> handler() {
        Object section = values.get("handler");
        return section instanceof Map ? (Map<String, Object>) section : Map.of();
    }

    /**
     * @param key a key of the {@code handler:} section
     * @return whether the section has the key with a value other than {@code null}
     */
    public boolean has(String key) {
        return handler().get(key) != null;
    }

    /**
     * @param key a key of the {@code handler:} section
     * @return its value as text
     */
    public Optional<String> getString(String key) {
        Object value = handler().get(key);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /**
     * @param key a key of the {@code handler:} section
     * @param defaultValue the value when the key is absent
     * @return the value as an integer
     */
    public int getInt(String key, int defaultValue) {
        Object value = handler().get(key);
        return value == null ? defaultValue : toInt(key, value);
    }

    /**
     * @param key a key of the {@code handler:} section
     * @param defaultValue the value when the key is absent
     * @return the value as a double
     */
    public double getDouble(String key, double defaultValue) {
        Object value = handler().get(key);
        return value == null ? defaultValue : toDouble(key, value);
    }

    /**
     * @param key a key of the {@code handler:} section
     * @param defaultValue the value when the key is absent
     * @return the value as a boolean ({@code true}/{@code false}, in YAML or as text)
     */
    public boolean getBoolean(String key, boolean defaultValue) {
        Object value = handler().get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw wrongType(key, value, "true or false");
    }

    /**
     * Reads a number or a list of numbers; a single number gives a one-element list, so
     * {@code resize: 28} and {@code resize: [28, 28]} can share one key.
     *
     * @param key a key of the {@code handler:} section
     * @return the numbers, or empty when the key is absent
     */
    public Optional<List<Double>> getDoubles(String key) {
        return getList(key, ModelConfig::toDouble);
    }

    /**
     * Like {@link #getDoubles(String)}, for whole numbers.
     *
     * @param key a key of the {@code handler:} section
     * @return the integers, or empty when the key is absent
     */
    public Optional<List<Integer>> getInts(String key) {
        return getList(key, ModelConfig::toInt);
    }

    private <T> Optional<List<T>> getList(String key, BiFunction<String, Object, T> convert) {
        Object value = handler().get(key);
        if (value == null) {
            return Optional.empty();
        }
        List<T> result = new ArrayList<>();
        for (Object item : value instanceof List<?> list ? list : List.of(value)) {
            result.add(convert.apply(key, item));
        }
        return Optional.of(List.copyOf(result));
    }

    private static int toInt(String key, Object value) {
        double number = toDouble(key, value);
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw wrongType(key, value, "a whole number");
        }
        return (int) number;
    }

    private static double toDouble(String key, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw wrongType(key, value, "a number");
        }
    }

    private static IllegalArgumentException wrongType(String key, Object value, String expected) {
        return new IllegalArgumentException(
                "model-config.yaml: handler." + key + " must be " + expected + ", not '" + value + "'");
    }
}
