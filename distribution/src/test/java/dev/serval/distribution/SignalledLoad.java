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
 * what came of it. A request sent before the signal must get its real answer, unless the server
 * had not read it yet when the drain began: then it is not taken, and says so (a 503 to retry on
 * another replica). One sent after may also be refused (503, or a connection no longer taken).
 */
final class SignalledLoad {

    /** The server's refusal of a request it had not read when its drain began. */
    static final String NOT_TAKEN = "Serval is shutting down; retry on another replica";

    /**
     * @param sentNanos when it was sent
     * @param doneNanos when its answer, or its failure, came
     * @param status the answer's status, -1 for none
     * @param right whether a 200's body was the right answer
     * @param failure the body of an answer other than a 200, or what failed when none came
     */
    record Request(long sentNanos, long doneNanos, int status, boolean right, String failure) {

        /** @return whether the server refused it unread: it took it not, and it may be retried */
        boolean notTaken() {
            return status == 503 && failure.contains(NOT_TAKEN);
        }
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
            return requests.stream()
                    .filter(r -> r.sentNanos < signalNanos && r.doneNanos > signalNanos)
                    .count();
        }

        /**
         * Every request sent before the signal got a right 200 or was not taken; none after got a
         * wrong or partial answer; some were in flight at the signal and answered.
         */
        void assertEveryAcceptedRequestAnswered() {
            List<Request> before =
                    requests.stream().filter(r -> r.sentNanos < signalNanos).toList();
            assertEquals(
                    List.of(),
                    before.stream()
                            .filter(r -> !(r.status == 200 && r.right) && !r.notTaken())
                            .toList(),
                    "requests sent before the signal without their answer");
            assertEquals(
                    List.of(),
                    requests.stream()
                            .filter(r -> r.sentNanos >= signalNanos)
                            .filter(r -> r.status == 200 ? !r.right : r.status != 503 && r.status != -1)
                            .toList(),
                    "requests sent after the signal with a wrong answer");
            assertTrue(
                    requests.stream()
                            .anyMatch(r -> r.sentNanos < signalNanos
                                    && r.doneNanos > signalNanos
                                    && r.status == 200
                                    && r.right),
                    "no request in flight at the signal was answered: the drain went untested");
        }

        @Override
        public String toString() {
            long after =
                    requests.stream().filter(r -> r.sentNanos >= signalNanos).count();
            return String.format(
                    "exit %d, %d ms from signal to exit, %d requests before the signal (%d in flight"
                            + " at it, %d of them not read yet and refused 503), %d after (%d answered 200, %d 503, %d not"
                            + " taken)",
                    exit,
                    (exitedNanos - signalNanos) / 1_000_000,
                    requests.size() - after,
                    inFlightAtSignal(),
                    count(r -> r.sentNanos < signalNanos && r.notTaken()),
                    after,
                    count(r -> r.sentNanos >= signalNanos && r.status == 200),
                    count(r -> r.sentNanos >= signalNanos && r.status == 503),
                    count(r -> r.sentNanos >= signalNanos && r.status == -1));
        }

        private long count(Predicate<Request> which) {
            return requests.stream().filter(which).count();
        }
    }

    private SignalledLoad() {}

    /** One request of a client: sends it, and says whether a 200 is the right answer. */
    interface Call {

        /**
         * @param client the client's number
         * @param count how many requests it sent before this one
         * @return the answer, and whether a 200's body is right
         * @throws IOException when no answer came
         * @throws InterruptedException when interrupted
         */
        Answer send(int client, int count) throws IOException, InterruptedException;
    }

    /**
     * @param response the server's answer
     * @param right whether a 200's body is the right answer
     */
    record Answer(HttpResponse<String> response, boolean right) {}

    /**
     * @param clients how many clients send requests, one after another each
     * @param before how long they load the server before the signal
     * @param call sends one request and judges its answer
     * @param signal sends the signal
     * @param awaitExit waits for the server to exit and gives its exit code
     * @return what came of every request, and of the server
     */
    static Outcome run(int clients, Duration before, Call call, Callable<?> signal, Callable<Integer> awaitExit)
            throws Exception {
        List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        AtomicLong signalAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            int client = i;
            pool.execute(() -> {
                // Until the server turns this client away: after the signal, refusals are expected.
                for (int count = 0; !Thread.currentThread().isInterrupted(); count++) {
                    long sent = System.nanoTime();
                    try {
                        Answer answer = call.send(client, count);
                        HttpResponse<String> response = answer.response();
                        boolean ok = response.statusCode() == 200;
                        requests.add(new Request(
                                sent,
                                System.nanoTime(),
                                response.statusCode(),
                                ok && answer.right(),
                                ok ? null : response.body()));
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
