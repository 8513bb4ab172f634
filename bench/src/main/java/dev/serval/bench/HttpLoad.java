package dev.serval.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Closed-loop HTTP load: N keep-alive clients, each sending its next request once answered. */
final class HttpLoad {

    private HttpLoad() {
    }

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
        List<HttpConnection> connections = new ArrayList<>();
        List<Operation> operations = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpConnection connection = new HttpConnection(port);
            connections.add(connection);
            operations.add(requests(connection, path, inputs, c));
        }
        try {
            return ConcurrentRun.run(operations, seconds);
        } finally {
            connections.forEach(HttpConnection::close);
        }
    }

    private static Operation requests(HttpConnection connection, String path, List<Input> inputs, int offset) {
        int[] next = {offset};
        return () -> {
            HttpConnection.Response response = connection.send("POST", path, inputs.get(next[0]++ % inputs.size()));
            if (response.status() != 200) {
                throw new IOException("HTTP " + response.status() + ": " + response.text());
            }
            return 1;
        };
    }
}
