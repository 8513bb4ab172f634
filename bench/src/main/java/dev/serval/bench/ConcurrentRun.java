package dev.serval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one {@link Operation} per thread, back to back, for a fixed time, and counts what was
 * answered: the closed-loop load of N clients each waiting for its answer before sending again.
 */
final class ConcurrentRun {

    /** Failures kept word for word, per client and per run; the rest are only counted. */
    private static final int ERRORS_KEPT = 5;

    private ConcurrentRun() {}

    /**
     * @param operations one per thread; each is used by its thread only
     * @param seconds how long to run
     * @return what was answered, failed, and how long each call took
     * @throws InterruptedException when interrupted while waiting for the threads
     */
    static Result run(List<Operation> operations, double seconds) throws InterruptedException {
        return run(operations, seconds, 0);
    }

    /**
     * @param operations one per thread; each is used by its thread only
     * @param seconds how long to run
     * @param stackBytes each thread's stack size; 0 for the JVM's default
     * @return what was answered, failed, and how long each call took
     * @throws InterruptedException when interrupted while waiting for the threads
     */
    static Result run(List<Operation> operations, double seconds, long stackBytes) throws InterruptedException {
        int n = operations.size();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Client> clients = new ArrayList<>(n);
        List<Thread> threads = new ArrayList<>(n);
        long[] start = new long[1];
        long[] deadline = new long[1];
        for (Operation operation : operations) {
            Client client = new Client(operation);
            clients.add(client);
            Thread thread = new Thread(
                    null,
                    () -> {
                        ready.countDown();
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        client.loopUntil(start[0], deadline[0]);
                    },
                    "bench-client-" + threads.size(),
                    stackBytes);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        start[0] = System.nanoTime();
        deadline[0] = start[0] + (long) (seconds * 1e9);
        go.countDown(); // publishes start[0] and deadline[0] to the threads
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start[0]) / 1e9;
        Latencies latencies = new Latencies();
        long requests = 0;
        long errors = 0;
        List<String> firstErrors = new ArrayList<>();
        for (Client client : clients) {
            latencies.addAll(client.latencies);
            requests += client.requests;
            errors += client.errors;
            client.firstErrors.stream().limit(ERRORS_KEPT - firstErrors.size()).forEach(firstErrors::add);
        }
        return new Result(requests, errors, firstErrors, elapsed, latencies.summary());
    }

    /**
     * @param requests requests answered
     * @param errors calls that failed
     * @param firstErrors when the first few failures came, from the start, and what they said, client by client
     * @param seconds how long the run took
     * @param latency per-call latency
     */
    record Result(long requests, long errors, List<String> firstErrors, double seconds, Latencies.Summary latency) {

        /** @return requests answered per second */
        double throughput() {
            return requests / seconds;
        }

        /**
         * @param more failures outside the calls, e.g. connections refused before the run
         * @param what what the first few of them said
         * @return this result with those counted as errors, before its own in the first errors
         */
        Result plusErrors(long more, List<String> what) {
            List<String> first = new ArrayList<>(what);
            first.addAll(firstErrors);
            List<String> kept = List.copyOf(first.subList(0, Math.min(first.size(), ERRORS_KEPT)));
            return new Result(requests, errors + more, kept, seconds, latency);
        }

        /** @return what the first failure said, or null */
        String firstError() {
            return firstErrors.isEmpty() ? null : firstErrors.get(0);
        }
    }

    private static final class Client {

        private final Operation operation;
        private final Latencies latencies = new Latencies();
        private long requests;
        private long errors;
        private final List<String> firstErrors = new ArrayList<>();

        Client(Operation operation) {
            this.operation = operation;
        }

        void loopUntil(long start, long deadline) {
            long now = System.nanoTime();
            while (now < deadline) {
                try {
                    int answered = operation.call();
                    long end = System.nanoTime();
                    latencies.record(end - now);
                    requests += answered;
                    now = end;
                } catch (Exception e) {
                    now = System.nanoTime();
                    errors++;
                    if (firstErrors.size() < ERRORS_KEPT) {
                        firstErrors.add(String.format(Locale.ROOT, "at %.1f s: %s", (now - start) / 1e9, e));
                    }
                }
            }
        }
    }
}
