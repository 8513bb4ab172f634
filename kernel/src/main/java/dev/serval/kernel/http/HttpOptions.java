package dev.serval.kernel.http;

import java.util.function.IntConsumer;

/**
 * How a listener serves, besides its routes.
 *
 * @param maxRequestSize the largest body accepted, in bytes; larger ones get a 413
 * @param statuses told the status of every answer, for the metrics
 */
public record HttpOptions(long maxRequestSize, IntConsumer statuses) {
}
