package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.config.Address;
import dev.serval.sdk.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies read and answers sent without a thread waiting on the client, on a listener of its own
 * with a short idle timeout: the limits hold for chunked bodies, slow bodies are given up, and
 * clients that never read their answer stall no one else.
 */
class AnswersTest {

    private static final int MAX_REQUEST = 100_000;
    private static final byte[] LARGE = new byte[16 << 20];

    private final List<Socket> sockets = new ArrayList<>();
    private ApiServer server;
    private BodyReader bodies;

    private void start(long maxBuffered) throws IOException {
        bodies = new BodyReader(MAX_REQUEST, maxBuffered, 1024);
        Answers answers = new Answers(bodies, Long.MAX_VALUE);
        HttpOptions options = new HttpOptions(
                MAX_REQUEST,
                status -> {},
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Duration.ofMillis(1500),
                Optional.empty(),
                Optional.empty());
        ServerSocketChannel socket = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        server = ApiServer.start(
                "Test",
                new Address("127.0.0.1", 0),
                socket,
                options,
                List.of(new ApiRoutes(
                        app -> {
                            app.post(
                                    "/echo",
                                    ctx -> answers.when(
                                            ctx,
                                            body -> CompletableFuture.completedFuture(
                                                    Response.bytes(body, "application/octet-stream"))));
                            app.post(
                                    "/large",
                                    ctx -> answers.when(
                                            ctx,
                                            body -> CompletableFuture.completedFuture(
                                                    Response.bytes(LARGE, "application/octet-stream"))));
                            // A model slower than the idle timeout: waiting for it is not idleness.
                            app.post(
                                    "/slow",
                                    ctx -> answers.when(
                                            ctx,
                                            body -> CompletableFuture.supplyAsync(
                                                    () -> Response.bytes(body, "text/plain"),
                                                    CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS))));
                        },
                        Optional.empty())));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413AsSoonAsItPassesIt() throws Exception {
        start(Long.MAX_VALUE);
        String chunk = "4000\r\n" + "x".repeat(0x4000) + "\r\n";
        Socket socket = send("/echo", "Transfer-Encoding: chunked", chunk.repeat(1000)); // 16 MB, were it read whole
        assertAnswered(socket, "413", "\"RequestTooLargeException\"");
        assertEquals(0, bodies.buffered());
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadWhole() throws Exception {
        start(Long.MAX_VALUE);
        Socket socket = send("/echo", "Transfer-Encoding: chunked", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertAnswered(socket, "200", "\r\n\r\nhello world");
    }

    @Test
    void aClientExpectingContinueIsToldToSend() throws Exception {
        start(Long.MAX_VALUE);
        Socket socket = connect();
        socket.getOutputStream().write(head("/echo", "Content-Length: 5\r\nExpect: 100-continue"));
        byte[] interim = new byte[25];
        int read = 0;
        while (read < interim.length) {
            read += socket.getInputStream().read(interim, read, interim.length - read);
        }
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.US_ASCII));
        socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        assertAnswered(socket, "200", "\r\n\r\nhello");
    }

    @Test
    void aBodyTricklingBelowTheMinimumRateIsA408() throws Exception {
        start(Long.MAX_VALUE);
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write(head("/echo", "Content-Length: 1000"));
        try {
            for (int i = 0; i < 10 && socket.getInputStream().available() == 0; i++) {
                out.write('x');
                Thread.sleep(300);
            }
        } catch (SocketException e) {
            // closed by the server
        }
        assertAnswered(socket, "408", "\"RequestTimeoutException\"");
        assertEquals(0, bodies.buffered());
    }

    @Test
    void bodiesBeyondTheBufferedBytesAreA503AndTheBytesAreGivenBack() throws Exception {
        start(100_000);
        Socket first = connect();
        first.getOutputStream().write(head("/echo", "Content-Length: 90000"));
        first.getOutputStream().write(new byte[30_000]);
        Thread.sleep(200);
        Socket second = send("/echo", "Content-Length: 90000", "\0".repeat(90_000));
        assertAnswered(second, "503", "max_buffered_request_bytes");
        first.getOutputStream().write(new byte[60_000]);
        assertAnswered(first, "200", "");
        assertEquals(0, bodies.buffered());
    }

    @Test
    void waitingForASlowModelIsNotIdleness() throws Exception {
        start(Long.MAX_VALUE);
        assertAnswered(send("/slow", "Content-Length: 2", "ok"), "200", "ok");
    }

    @Test
    void clientsThatNeverReadTheirAnswerStallNoOneAndAreClosedAfterTheIdleTimeout() throws Exception {
        start(Long.MAX_VALUE);
        // More than the threads that serialise answers, each answer far larger than the socket buffers.
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 3 * Runtime.getRuntime().availableProcessors() + 4; i++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            sockets.add(socket);
            socket.getOutputStream().write(head("/large", "Content-Length: 0"));
            stalled.add(socket);
        }
        Thread.sleep(300);
        long start = System.nanoTime();
        assertAnswered(send("/echo", "Content-Length: 2", "hi"), "200", "hi");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 1000, "answered in " + millis + " ms");
        // Past the idle timeout, the server has given up: the client finds its answer cut short.
        Thread.sleep(3000);
        for (Socket socket : stalled) {
            socket.setSoTimeout(5000);
            long received = drain(socket.getInputStream());
            assertTrue(received < LARGE.length, "received " + received + " bytes");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        sockets.add(socket);
        return socket;
    }

    /** @return a connection that sent the request, its body whole or as much as the server took */
    private Socket send(String path, String framing, String body) throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(head(path, framing));
        try {
            socket.getOutputStream().write(body.getBytes(StandardCharsets.ISO_8859_1));
        } catch (SocketException e) {
            // refused mid-way
        }
        return socket;
    }

    private static void assertAnswered(Socket socket, String status, String containing) throws IOException {
        String answer = read(socket);
        assertTrue(answer.startsWith("HTTP/1.1 " + status), answer);
        assertTrue(answer.contains(containing), answer);
    }

    private static byte[] head(String path, String framing) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n" + framing
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the whole answer, up to the server's closing the connection */
    private static String read(Socket socket) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (InputStream in = socket.getInputStream()) {
            in.transferTo(answer);
        } catch (SocketException e) {
            // reset after the answer
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[65_536];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (SocketException e) {
            // reset by the server
        }
        return total;
    }
}
