package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients over raw loopback sockets: ones that never read a large answer, ones that send
 * their body a byte at a time or not at all, one that streams a chunked body past
 * {@code max_request_size}. Meanwhile every other client is answered within a second, the
 * server's threads and memory stay bounded, and the hostile connections are closed after the
 * idle timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowClientsIT {

    private static final Duration PROMPT = Duration.ofSeconds(1);
    private static final String IDLE_TIMEOUT_S = "2";
    private static final String SEGMENTER_DONE =
            "serval_inference_duration_seconds_count{model_name=\"segmenter\",model_version=\"1.0\"}";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] digit;
    /** A scene whose full segmentation, {@code [H][W][class, probability]}, is some MB of JSON. */
    private static byte[] largeScene;

    private static int answerBytes;
    /** The server's open files once it serves, before any hostile client. */
    private static int quietOpenFiles;

    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.model(
                store.resolve("segmenter.mar"),
                Archives.SHAPES_SEGMENTER,
                "segmenter",
                "1.0",
                "shapes_segmenter.pt",
                "image_segmenter",
                "");
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        largeScene = scaled(Archives.SHAPES_SEGMENTER.resolve("images/scene_00.png"), 9);
        server = ServerProcess.start(root, store, "idle_timeout=" + IDLE_TIMEOUT_S, "max_response_size=100000000");
        long start = System.nanoTime();
        HttpResponse<byte[]> full = server.post("/predictions/segmenter", largeScene);
        assertEquals(200, full.statusCode());
        answerBytes = full.body().length;
        System.out.printf(
                "[slow clients] the segmenter's answer is %d KB, in %d ms%n",
                answerBytes >> 10, (System.nanoTime() - start) / 1_000_000);
        // Loopback send buffers grow to 4 MB (tcp_wmem); the answer must not fit in them.
        assertTrue(answerBytes > 4 << 20, "an answer larger than the socket buffers");
        assertEquals(200, server.predict("/predictions/digits", digit, "PUT").statusCode());
        quietOpenFiles = server.openFiles();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    @Order(1)
    void clientsThatNeverReadTheirAnswerStallOnlyThemselves() throws Exception {
        Phase phase = Phase.begin("clients that never read");
        double done = metrics().count(SEGMENTER_DONE);
        List<Socket> stalled = new ArrayList<>();
        // More of them than the threads that serialise answers (one per core).
        for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
            Socket socket = open(4096);
            socket.getOutputStream()
                    .write(request(
                            "POST",
                            "/predictions/segmenter",
                            "Content-Type: image/png\r\nContent-Length: " + largeScene.length));
            socket.getOutputStream().write(largeScene);
            stalled.add(socket);
        }
        // Their answers are computed, then stuck in sockets nobody reads.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (metrics().count(SEGMENTER_DONE) < done + stalled.size()) {
            assertTrue(System.nanoTime() < deadline, "the segmenter did not answer within 30 s");
            Thread.sleep(50);
        }
        for (int i = 0; i < 5; i++) {
            assertPromptly(server.inferencePort, "/predictions/digits", digit);
            assertPromptly(server.inferencePort, "/ping", null);
        }
        phase.check("during", 10, 300);

        // Past the idle timeout, each was closed with its answer cut short.
        Thread.sleep(Duration.ofSeconds(Long.parseLong(IDLE_TIMEOUT_S) + 1).toMillis());
        for (Socket socket : stalled) {
            long received = readAll(socket).length;
            assertTrue(received < answerBytes, "received " + received + " of " + answerBytes + " bytes");
        }
        // Each answer held, and the segmenter's native memory for the large scenes.
        phase.check("after", 10, 300);
    }

    @Test
    @Order(2)
    void slowBodiesStallOnlyThemselves() throws Exception {
        Phase phase = Phase.begin("slow bodies");
        List<Socket> trickling = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Socket socket = open(0);
            socket.getOutputStream()
                    .write(request(
                            "PUT",
                            "/predictions/digits",
                            "Content-Type: image/png\r\nContent-Length: " + digit.length));
            (i % 2 == 0 ? trickling : silent).add(socket);
        }
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int maxThreads = 0;
        for (int offset = 0; System.nanoTime() < end; offset++) {
            for (Socket socket : trickling) {
                try {
                    socket.getOutputStream().write(digit[offset % digit.length]); // a byte at a time
                } catch (SocketException e) {
                    // given up by the server
                }
            }
            assertPromptly(server.inferencePort, "/predictions/digits", digit);
            assertPromptly(server.inferencePort, "/ping", null);
            assertPromptly(server.inferencePort, "/v2/health/live", null);
            assertPromptly(server.metricsPort, "/metrics", null);
            maxThreads = Math.max(maxThreads, server.threads());
            Thread.sleep(300);
        }
        // Jetty's pool grows a little to take a burst of 150 connections; a thread per slow body would be 150.
        assertTrue(maxThreads <= phase.threads() + 50, "threads " + phase.threads() + " → " + maxThreads);
        phase.check("during", 50, 100);

        // Those sending too slowly are refused with a 408; the silent ones are closed at the idle timeout.
        for (Socket socket : trickling) {
            String answer = new String(readAll(socket), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"RequestTimeoutException\""), answer);
        }
        for (Socket socket : silent) {
            readAll(socket); // returns: closed, not left open
        }
        phase.check("after", 50, 100);
    }

    @Test
    @Order(3)
    void aChunkedBodyOverMaxRequestSizeIsA413WithoutBeingBuffered() throws Exception {
        Phase phase = Phase.begin("a 200 MB chunked body");
        Socket socket = open(0);
        OutputStream out = socket.getOutputStream();
        out.write(request("PUT", "/predictions/digits", "Content-Type: image/png\r\nTransfer-Encoding: chunked"));
        byte[] chunk = new byte[1 << 20];
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        try {
            for (; sent < 200; sent++) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (SocketException e) {
            // refused mid-way, as it should be
        }
        String answer = new String(readAll(socket), StandardCharsets.ISO_8859_1);
        System.out.println("[a 200 MB chunked body] " + sent + " MB sent");
        phase.check("after", 10, 100);
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"RequestTooLargeException\""), answer);
        assertEquals(200, server.predict("/predictions/digits", digit, "PUT").statusCode());
    }

    @Test
    @Order(4)
    void hostileClientsLeaveNoStackTraceInTheLog() throws Exception {
        List<String> traces =
                server.log().lines().filter(line -> line.startsWith("\tat ")).toList();
        assertTrue(traces.isEmpty(), String.join("\n", traces));
    }

    /**
     * A hostile phase: the server's resources printed before it and at each check, their growth
     * bounded.
     *
     * @param name what the phase is
     * @param threads the server's threads before it
     * @param resident its resident memory before it
     */
    private record Phase(String name, int threads, long resident) {

        /**
         * Measures once the previous phase's connections are closed (within 10 s): threads that
         * still close them would otherwise count as this phase's growth.
         */
        static Phase begin(String name) throws Exception {
            ServerProcess.waitFor(() -> server.openFiles() <= quietOpenFiles + 8);
            server.resources("before " + name);
            return new Phase(name, server.threads(), server.residentBytes());
        }

        void check(String when, int moreThreads, int moreMegabytes) throws IOException {
            server.resources(when + " " + name);
            assertTrue(server.threads() <= threads + moreThreads, "threads " + threads + " → " + server.threads());
            long growth = server.residentBytes() - resident;
            assertTrue(growth < (long) moreMegabytes << 20, "RSS grew by " + (growth >> 20) + " MB");
        }
    }

    /** Asserts a 200 within a second; a request left unanswered fails after 5 s rather than hang. */
    private static void assertPromptly(int port, String path, byte[] putBody) throws Exception {
        HttpRequest request = server.request(port, path)
                .timeout(Duration.ofSeconds(5))
                .method(
                        putBody == null ? "GET" : "PUT",
                        putBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(putBody))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = server.http.send(request, HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertTrue(took.compareTo(PROMPT) < 0, path + " took " + took.toMillis() + " ms");
    }

    private PrometheusText metrics() throws Exception {
        return new PrometheusText(server.get(server.metricsPort, "/metrics").body());
    }

    /** @param receiveBuffer the socket's receive buffer, or 0 for the system's */
    private Socket open(int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so that the window stays small
        }
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.inferencePort));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private byte[] request(String method, String path, String headers) {
        return (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + server.key("inference")
                        + "\r\n" + headers + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @return what the server sent until it closed the connection (a timeout fails) */
    private static byte[] readAll(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (InputStream in = socket.getInputStream()) {
            in.transferTo(all);
        } catch (SocketException e) {
            // reset once the server gave up
        }
        return all.toByteArray();
    }

    /** @return the image, each pixel a square of {@code factor}² (nearest neighbour), as PNG */
    private static byte[] scaled(Path png, int factor) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        BufferedImage large =
                new BufferedImage(image.getWidth() * factor, image.getHeight() * factor, BufferedImage.TYPE_INT_RGB);
        large.getGraphics()
                .drawImage(
                        image.getScaledInstance(large.getWidth(), large.getHeight(), Image.SCALE_REPLICATE),
                        0,
                        0,
                        null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(large, "png", out);
        return out.toByteArray();
    }
}
