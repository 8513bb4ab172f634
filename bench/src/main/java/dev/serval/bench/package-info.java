/**
 * Serval's benchmark, {@code java -jar serval-bench.jar}: each reference workload's raw handler
 * in-process, then the built distribution over HTTP with batching off and on, start-up and
 * hot deployment, the cost of more models and connections, and the soak; figures and the
 * issue's goals written as a report (see {@code docs/benchmark.md}).
 */
package dev.serval.bench;
