package dev.serval.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Closed-loop HTTP load: N keep-alive clients, each sending its next request once answered, one
 * thread and one connection each. The threads have small stacks, so that a thousand of them cost
 * the load generator a few hundred MB of address space at most and little memory (what a thread
 * touches of its stack); with connections made before the clock starts, a client's blocking read
 * costs its thread nothing until the answer comes.
 */
final class HttpLoad {

    /** A client's stack: a socket write and read, a few frames deep. */
    private static final long CLIENT_STACK_BYTES = 256 * 1024;

    private static final int REFUSALS_KEPT = 5;

    private HttpLoad() {}

    /**
     * @param port the inference port on loopback
     * @param path the prediction path
     * @param inputs the requests, sent in turn; client {@code c} starts at input {@code c}
     * @param clients concurrent clients, one connection each
     * @param seconds how long to run
     * @return what was answered; anything but a 200 is an error
     * @throws InterruptedException when interrupted while waiting for the clients
     */
    static ConcurrentRun.Result run(int port, String path, List<Input> inputs, int clients, double seconds)
            throws InterruptedException {
        return run(port, List.of(new Target(path, inputs)), clients, seconds);
    }

    /**
     * @param port the inference port on loopback
     * @param targets the prediction paths, dealt to the clients in turn: client {@code c} loads
     *     target {@code c % targets.size()}
     * @param clients concurrent clients, one connection each
     * @param seconds how long to run
     * @return what was answered; anything but a 200 is an error
     * @throws InterruptedException when interrupted while waiting for the clients
     */
    static ConcurrentRun.Result run(int port, List<Target> targets, int clients, double seconds)
            throws InterruptedException {
        List<HttpConnection> connections = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpConnection connection = new HttpConnection(port);
            connections.add(connection);
            Target target = targets.get(c % targets.size());
            // The clients of one target start at different inputs: c / targets counts them.
            operations.add(requests(connection, target.path(), target.inputs(), c / targets.size()));
        }
        try {
            // Connected before the clock starts, so that a run of 1000 clients does not measure
            // 1000 handshakes; a refused one is an error and its client tries again when it sends.
            long refused = 0;
            List<String> refusals = new ArrayList<>();
            for (HttpConnection connection : connections) {
                try {
                    connection.open();
                } catch (IOException e) {
                    refused++;
                    if (refusals.size() < REFUSALS_KEPT) {
                        refusals.add("connecting: " + e);
                    }
                }
            }
            return ConcurrentRun.run(operations, seconds, CLIENT_STACK_BYTES).plusErrors(refused, refusals);
        } finally {
            connections.forEach(HttpConnection::close);
        }
    }

    private static Operation requests(HttpConnection connection, String path, List<Input> inputs, int offset) {
        int[] next = {offset};
        return () -> {
            HttpConnection.Response response;
            try {
                response = connection.send("POST", path, inputs.get(next[0]++ % inputs.size()));
            } catch (IOException e) {
                throw new IOException("POST " + path + ": " + e, e);
            }
            if (response.status() != 200) {
                throw new IOException("HTTP " + response.status() + " from " + path + ": " + response.text());
            }
            return 1;
        };
    }

    /**
     * @param path a prediction path
     * @param inputs the requests its clients send in turn
     */
    record Target(String path, List<Input> inputs) {}
}
