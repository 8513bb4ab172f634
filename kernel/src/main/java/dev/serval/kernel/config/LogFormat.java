package dev.serval.kernel.config;

import java.util.Locale;

/**
 * How the server writes its log, one event a line on its standard output ({@code log_format}):
 * the plain lines a person reads, or one JSON object a line for log pipelines (Fluent Bit,
 * Vector, Loki), whose stack traces stay inside their event's line.
 */
public enum LogFormat {
    /** {@code 2026-12-01T16:44:59.123 [main] INFO Serval - ...}, a stack trace on the lines after. */
    PLAIN,
    /** Logback's JSON: {@code level}, {@code loggerName}, {@code formattedMessage}, {@code throwable}. */
    JSON;

    /**
     * @param value {@code plain} or {@code json}, in any case
     * @return the format
     * @throws IllegalArgumentException for another value, naming the ones taken
     */
    static LogFormat parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "plain" -> PLAIN;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("must be plain or json, not " + value);
        };
    }
}
