package dev.serval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link Operation} per thread, back to back, for a fixed time, and counts what was
 * answered: the closed-loop load of N clients each waiting for its answer before sending again.
 */
final class ConcurrentRun {

    private ConcurrentRun() {
    }

    /**
     * @param operations one per thread; each is used by its thread only
     * @param seconds how long to run
     * @return what was answered, failed, and how long each call took
     * @throws InterruptedException when interrupted while waiting for the threads
     */
    static Result run(List<Operation> operations, double seconds) throws InterruptedException {
        int n = operations.size();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Client> clients = new ArrayList<>(n);
        List<Thread> threads = new ArrayList<>(n);
        long[] deadline = new long[1];
        for (Operation operation : operations) {
            Client client = new Client(operation);
            clients.add(client);
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                client.loopUntil(deadline[0]);
            }, "bench-client-" + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        long start = System.nanoTime();
        deadline[0] = start + (long) (seconds * 1e9);
        go.countDown(); // publishes deadline[0] to the threads
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Latencies latencies = new Latencies();
        long requests = 0;
        long errors = 0;
        AtomicReference<String> firstError = new AtomicReference<>();
        for (Client client : clients) {
            latencies.addAll(client.latencies);
            requests += client.requests;
            errors += client.errors;
            if (client.firstError != null) {
                firstError.compareAndSet(null, client.firstError);
            }
        }
        return new Result(requests, errors, firstError.get(), elapsed, latencies.summary());
    }

    /**
     * @param requests requests answered
     * @param errors calls that failed
     * @param firstError what the first failure said, or null
     * @param seconds how long the run took
     * @param latency per-call latency
     */
    record Result(long requests, long errors, String firstError, double seconds, Latencies.Summary latency) {

        /** @return requests answered per second */
        double throughput() {
            return requests / seconds;
        }
    }

    private static final class Client {

        private final Operation operation;
        private final Latencies latencies = new Latencies();
        private long requests;
        private long errors;
        private String firstError;

        Client(Operation operation) {
            this.operation = operation;
        }

        void loopUntil(long deadline) {
            long now = System.nanoTime();
            while (now < deadline) {
                try {
                    int answered = operation.call();
                    long end = System.nanoTime();
                    latencies.record(end - now);
                    requests += answered;
                    now = end;
                } catch (Exception e) {
                    errors++;
                    if (firstError == null) {
                        firstError = e.toString();
                    }
                    now = System.nanoTime();
                }
            }
        }
    }
}
