/**
 * The metrics API's content: Serval's own metrics and TorchServe's frontend metrics under their
 * names, in Prometheus' text format.
 */
package dev.serval.kernel.metrics;
