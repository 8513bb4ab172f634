package dev.serval.bench;

import java.util.Locale;

/**
 * Load run before a measurement until the JVM doing the work has compiled its hot code. A fixed
 * warm-up is a guess: a fresh server's C2 compiler took a third of this 2-core machine for its
 * first 25 seconds under load, so a 10-second warm-up measured compilation, not serving. Here the
 * load goes on, in short rounds, until the compiler threads are nearly idle.
 *
 * @param pid the process whose compiler threads are watched: the server, or this JVM for raw runs
 * @param minSeconds load run at least this long
 * @param maxSeconds and at most this long, settled or not
 */
record Warmup(long pid, double minSeconds, double maxSeconds) {

    /** Settled: the compiler threads used at most this share of one core in the last round. */
    static final double SETTLED_COMPILER_SHARE = 0.05;

    static final double ROUND_SECONDS = 2;
    static final double MAX_SECONDS = 90;

    /** A load that runs for a given time. */
    @FunctionalInterface
    interface Load {

        /**
         * @param seconds how long to run
         * @throws Exception when the load cannot run
         */
        void run(double seconds) throws Exception;
    }

    /**
     * @param pid the process to watch
     * @param minSeconds the shortest warm-up
     * @return a warm-up of at least {@code minSeconds} and at most {@link #MAX_SECONDS}
     */
    static Warmup untilCompiled(long pid, double minSeconds) {
        return new Warmup(pid, minSeconds, Math.max(minSeconds, MAX_SECONDS));
    }

    /**
     * @param seconds how long
     * @return a warm-up of that length, whatever the compilers do
     */
    static Warmup fixed(double seconds) {
        return new Warmup(ProcessHandle.current().pid(), seconds, seconds);
    }

    /**
     * @param load the load to warm up with
     * @return how long it ran and whether the compilers settled
     * @throws Exception when the load fails
     */
    Result run(Load load) throws Exception {
        long start = System.nanoTime();
        double round = minSeconds;
        while (true) {
            long compiling = CpuTime.compilers(pid);
            long roundStart = System.nanoTime();
            load.run(round);
            double share = (CpuTime.compilers(pid) - compiling) / (double) (System.nanoTime() - roundStart);
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (share <= SETTLED_COMPILER_SHARE || elapsed >= maxSeconds) {
                return new Result(elapsed, share <= SETTLED_COMPILER_SHARE, share);
            }
            round = Math.min(ROUND_SECONDS, maxSeconds - elapsed);
        }
    }

    /**
     * @param seconds how long the load ran
     * @param settled whether the compilers were nearly idle in the last round
     * @param lastCompilerShare the compilers' CPU in the last round, as a share of one core
     */
    record Result(double seconds, boolean settled, double lastCompilerShare) {

        /** @return the warm-up in a few words, for the progress lines */
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "warm-up %.0f s, %s (compilers at %.0f%% of a core in the last round)",
                    seconds,
                    settled ? "JIT settled" : "JIT still compiling",
                    lastCompilerShare * 100);
        }
    }
}
