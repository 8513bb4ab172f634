package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Clients that load a server while it is told to stop, recording when each request was sent and
 * what came of it: a request sent before the signal was accepted and must get its real answer;
 * one sent after may also be refused (503, or a connection the server no longer takes).
 */
final class SignalledLoad {

    /**
     * @param sentNanos when it was sent
     * @param doneNanos when its answer, or its failure, came
     * @param status the answer's status, -1 for none
     * @param right whether a 200's body was the right answer
     * @param failure what failed, when no answer came
     */
    record Request(long sentNanos, long doneNanos, int status, boolean right, String failure) {
    }

    /**
     * @param exit the server's exit code
     * @param signalNanos when the signal was sent
     * @param exitedNanos when the server had exited
     * @param requests every request, in no order
     */
    record Outcome(int exit, long signalNanos, long exitedNanos, List<Request> requests) {

        /** @return the requests sent before the signal and answered after it: in flight or queued then */
        long inFlightAtSignal() {
            return requests.stream().filter(r -> r.sentNanos < signalNanos && r.doneNanos > signalNanos).count();
        }

        /** Every request sent before the signal got a right 200; none after got a wrong or partial one. */
        void assertEveryAcceptedRequestAnswered() {
            List<Request> before = requests.stream().filter(r -> r.sentNanos < signalNanos).toList();
            assertEquals(List.of(), before.stream().filter(r -> r.status != 200 || !r.right).toList(),
                    "requests sent before the signal without their answer");
            assertEquals(List.of(), requests.stream().filter(r -> r.sentNanos >= signalNanos)
                    .filter(r -> r.status == 200 ? !r.right : r.status != 503 && r.status != -1).toList(),
                    "requests sent after the signal with a wrong answer");
            assertTrue(inFlightAtSignal() > 0, "no request was in flight at the signal: the drain went untested");
        }

        @Override
        public String toString() {
            long after = requests.stream().filter(r -> r.sentNanos >= signalNanos).count();
            return String.format("exit %d, %d ms from signal to exit, %d requests before the signal (%d in flight"
                    + " at it), %d after (%d answered 200, %d 503, %d not taken)", exit,
                    (exitedNanos - signalNanos) / 1_000_000, requests.size() - after, inFlightAtSignal(), after,
                    count(r -> r.sentNanos >= signalNanos && r.status == 200),
                    count(r -> r.sentNanos >= signalNanos && r.status == 503),
                    count(r -> r.sentNanos >= signalNanos && r.status == -1));
        }

        private long count(Predicate<Request> which) {
            return requests.stream().filter(which).count();
        }
    }

    private SignalledLoad() {
    }

    /**
     * @param clients how many clients send requests, one after another each
     * @param before how long they load the server before the signal
     * @param request sends one request
     * @param right whether a 200 is the right answer
     * @param signal sends the signal
     * @param awaitExit waits for the server to exit and gives its exit code
     * @return what came of every request, and of the server
     */
    static Outcome run(int clients, Duration before, Callable<HttpResponse<String>> request,
            Predicate<HttpResponse<String>> right, Callable<?> signal, Callable<Integer> awaitExit) throws Exception {
        List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        AtomicLong signalAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.execute(() -> {
                // Until the server turns this client away: after the signal, refusals are expected.
                while (!Thread.currentThread().isInterrupted()) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = request.call();
                        requests.add(new Request(sent, System.nanoTime(), response.statusCode(),
                                response.statusCode() == 200 && right.test(response), null));
                        if (response.statusCode() != 200 && sent > signalAt.get()) {
                            return;
                        }
                    } catch (IOException e) {
                        requests.add(new Request(sent, System.nanoTime(), -1, false, e.toString()));
                        if (sent > signalAt.get()) {
                            return;
                        }
                    } catch (Exception e) {
                        requests.add(new Request(sent, System.nanoTime(), -1, false, e.toString()));
                        return;
                    }
                }
            });
        }
        Thread.sleep(before.toMillis());
        long signalled = System.nanoTime();
        signalAt.set(signalled);
        signal.call();
        int exit = awaitExit.call();
        long exited = System.nanoTime();
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        return new Outcome(exit, signalled, exited, List.copyOf(requests));
    }
}
