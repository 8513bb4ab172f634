package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand keep-alive clients at once on one model, in the server's default configuration: they
 * connect together, each sends a request, and every connection has its request in flight before
 * any answer is read; a few such rounds on the same connections, and every answer is a 200.
 * Before, the 101st queued request of one model got a 503 ({@code job_queue_size} 100), and the
 * connections past Java's accept backlog of 50 waited for their SYN to be sent again.
 */
class ManyConnectionsIT {

    private static final int CONNECTIONS = 1000;
    private static final int ROUNDS = 3;
    /** Connects at once: enough to fill a small accept backlog while the server's acceptor waits for a CPU. */
    private static final int CONNECTING_THREADS = 100;
    /** For any one answer, on a busy machine: a round of 1000 digits takes about a second on one core. */
    private static final int READ_TIMEOUT_MS = 60_000;

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] request;

    @BeforeAll
    static void start() throws Exception {
        // The test's own JVM raises its soft limit to the hard one (HotSpot's MaxFDLimit), as bin/serval does the
        // server's.
        long openFiles = softOpenFilesLimit();
        assumeTrue(
                openFiles > CONNECTIONS + 500,
                "this test needs more than " + (CONNECTIONS + 500) + " open files, the hard limit (ulimit -Hn) allows "
                        + openFiles);
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        server = ServerProcess.start(root, store, "disable_token_authorization=true");
        byte[] digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        byte[] head = ("POST /predictions/digits HTTP/1.1\r\nHost: 127.0.0.1:" + server.inferencePort
                        + "\r\nContent-Type: image/png\r\nContent-Length: " + digit.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        request = new byte[head.length + digit.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(digit, 0, request, head.length, digit.length);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aThousandKeepAliveConnectionsAreEachAnswered() throws Exception {
        List<Socket> sockets = connect();
        try {
            Map<String, Integer> answers = new TreeMap<>();
            long start = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                for (Socket socket : sockets) {
                    socket.getOutputStream().write(request);
                }
                // All the round's requests are in flight now: their answers wait in the sockets.
                for (Socket socket : sockets) {
                    RawHttp.Response answer = RawHttp.read(socket.getInputStream());
                    String outcome = answer.status() + (answer.status() == 200 ? "" : " " + answer.body());
                    answers.merge(outcome, 1, Integer::sum);
                }
            }
            System.out.printf(
                    "[%d connections] %d rounds in %d ms, %s; %s%n",
                    CONNECTIONS, ROUNDS, (System.nanoTime() - start) / 1_000_000, answers, server.resources("after"));
            assertEquals(Map.of("200", CONNECTIONS * ROUNDS), answers);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** @return the connections, opened by many threads at once */
    private static List<Socket> connect() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.inferencePort);
        List<Callable<Socket>> connects = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            connects.add(() -> {
                Socket socket = new Socket();
                socket.setSoTimeout(READ_TIMEOUT_MS);
                // Generous: a SYN past a full backlog is sent again after 1, 3, 7 and 15 s.
                socket.connect(address, (int) Duration.ofSeconds(30).toMillis());
                return socket;
            });
        }
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTING_THREADS);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (Future<Socket> socket : threads.invokeAll(connects)) {
                sockets.add(socket.get());
            }
        } catch (Exception e) {
            for (Socket socket : sockets) {
                socket.close();
            }
            throw e;
        } finally {
            threads.shutdownNow();
        }
        return sockets;
    }

    /** @return this JVM's soft limit of open files, from {@code /proc/self/limits} */
    private static long softOpenFilesLimit() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files"))
                .findFirst()
                .orElseThrow();
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
    }
}
