package dev.serval.bench;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What a run uses, from the command line; every path defaults to its place in a built checkout,
 * relative to the repository root the benchmark is started from.
 */
final class BenchOptions {

    @Option(names = "--dist", paramLabel = "DIR", description = "the built distribution")
    private Path dist = Path.of("distribution/target/serval");

    @Option(names = "--models", paramLabel = "DIR", description = "the reference models and inputs")
    private Path models = Path.of("distribution/models");

    @Option(names = "--cache", paramLabel = "DIR", description = "the native library cache, shared with the tests")
    private Path cacheDir = Path.of("target/native-cache");

    @Option(names = "--out", paramLabel = "DIR", description = "where the results and the servers' folders go")
    private Path out = Path.of("bench/target");

    @Option(names = "--seconds", paramLabel = "S", description = "how long each measured run lasts")
    private double seconds = 5;

    @Option(
            names = "--rounds",
            paramLabel = "N",
            description = "how many times each server point is measured, the servers interleaved; "
                    + "the median round is reported")
    private int rounds = 3;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            description = "the shortest warm-up before a model is measured; "
                    + "it goes on until the JIT compilers are nearly idle, at most " + Warmup.MAX_SECONDS + " s")
    private double warmupSeconds = 10;

    @Option(names = "--sweep", paramLabel = "S", description = "how long each point of the raw batch-size sweep lasts")
    private double sweepSeconds = 2;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "workers per model in the servers measured over "
                    + "HTTP; 0: as many as the threads of the best raw run")
    private int workers;

    @Option(names = "--max-batch-delay", paramLabel = "MS", description = "maxBatchDelay of the batching server")
    private int maxBatchDelayMs = 5;

    @Option(
            names = "--server-java-opts",
            paramLabel = "OPTS",
            description = "the servers' JAVA_OPTS, e.g. to record a flight recording")
    private String serverJavaOpts = "";

    @Option(
            names = "--scaling",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "measure start-up and memory with 1, 10 and 50 models, the first start with an empty "
                    + "native cache, and 1, 100 and 1000 connections (about 3 minutes)")
    private boolean scaling;

    @ArgGroup(exclusive = false)
    private Pinning pinning;

    /** @return the built distribution */
    Path dist() {
        return dist;
    }

    /** @return the reference models */
    Path models() {
        return models;
    }

    /** @return the native library cache */
    Path cacheDir() {
        return cacheDir;
    }

    /** @return where results and the servers' folders go */
    Path out() {
        return out;
    }

    /** @return how long each measured run lasts */
    double seconds() {
        return seconds;
    }

    /** @return how many interleaved rounds measure each server point */
    int rounds() {
        return rounds;
    }

    /** @return the shortest warm-up */
    double warmupSeconds() {
        return warmupSeconds;
    }

    /** @return how long each point of the raw sweep lasts */
    double sweepSeconds() {
        return sweepSeconds;
    }

    /** @return workers per model, or 0 for as many as the best raw run's threads */
    int workers() {
        return workers;
    }

    /** @return {@code maxBatchDelay} of the batching server */
    int maxBatchDelayMs() {
        return maxBatchDelayMs;
    }

    /** @return whether to measure the cost of more models and connections */
    boolean scaling() {
        return scaling;
    }

    /** @return the servers' {@code JAVA_OPTS} */
    String serverJavaOpts() {
        return serverJavaOpts;
    }

    /** @return the CPUs of the servers and the raw baseline, as {@code taskset} lists them; empty: not pinned */
    String serverCpus() {
        return pinned() ? pinning.serverCpus : "";
    }

    /** @return the load generator's CPUs, as {@code taskset} lists them; empty: not pinned */
    String clientCpus() {
        return pinned() ? pinning.clientCpus : "";
    }

    /** @return whether the load generator runs on other CPUs than the server */
    boolean pinned() {
        return pinning != null;
    }

    /** The load generator on other CPUs than the server: both lists or neither. */
    static final class Pinning {

        @Option(
                names = "--server-cpus",
                paramLabel = "LIST",
                required = true,
                description =
                        "pin the servers and "
                                + "the raw baseline to these CPUs (taskset's list, e.g. 0 or 0-3); by default nothing is pinned")
        private String serverCpus;

        @Option(
                names = "--client-cpus",
                paramLabel = "LIST",
                required = true,
                description = "pin the load generator to these CPUs")
        private String clientCpus;
    }
}
