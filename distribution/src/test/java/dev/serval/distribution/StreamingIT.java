package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pytorch.serve.grpc.inference.InferenceAPIsServiceGrpc;
import org.pytorch.serve.grpc.inference.PredictionResponse;
import org.pytorch.serve.grpc.inference.PredictionsRequest;

/**
 * A handler's intermediate answers ({@code ResponseStream}), sent as it makes them: over REST as
 * the chunks of one chunked response, over gRPC {@code StreamPredictions} as one message each. The
 * example bundle's {@code text_stream} handler sends a word, then pauses {@value #PAUSE_MS} ms
 * before each next one, so a part read well before the next pause ends was sent before the next
 * part was made.
 */
class StreamingIT {

    private static final long PAUSE_MS = 1_500;
    private static final int MAX_RESPONSE_SIZE = 40;
    private static final Path EXAMPLES = Path.of(System.getProperty("serval.examples", "target/example-bundles"));

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static ManagedChannel channel;

    @BeforeAll
    static void deploy() throws Exception {
        server = ServerProcess.start(
                root, Files.createDirectories(root.resolve("store")), "max_response_size=" + MAX_RESPONSE_SIZE);
        Files.copy(EXAMPLES.resolve("checksum-handler.jar"), server.deployDir.resolve("checksum-handler.jar"));
        Archives.textStream(server.deployDir.resolve("stream.mar"), "stream", PAUSE_MS);
        ServerProcess.waitFor(() -> server.predict("/predictions/stream", "ready".getBytes(), "POST")
                        .statusCode()
                == 200);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcInferencePort)
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.close();
    }

    @Test
    void restSendsEachWordAsAChunkBeforeTheNextIsMade() throws Exception {
        try (Socket socket = post("one two three")) {
            InputStream in = socket.getInputStream();
            List<String> head = head(in);
            assertEquals("HTTP/1.1 200 OK", head.get(0));
            assertTrue(head.contains("transfer-encoding: chunked"), head.toString());
            assertFalse(head.stream().anyMatch(h -> h.startsWith("content-length:")), head.toString());

            List<String> chunks = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            for (String chunk = chunk(in); chunk != null; chunk = chunk(in)) {
                chunks.add(chunk);
                arrivals.add(System.nanoTime());
            }
            assertEquals(List.of("one ", "two ", "three"), chunks, "the words, the last one last");
            assertMadeApart(arrivals);
        }
    }

    @Test
    void restAnswersAHandlerThatSendsNothingAheadWithItsContentLength() throws Exception {
        HttpResponse<String> answer = server.predict("/predictions/stream", "alone".getBytes(), "POST");
        assertEquals("alone", answer.body());
        assertEquals("5", answer.headers().firstValue("content-length").orElse(null));
    }

    @Test
    void aChunkOverMaxResponseSizeEndsTheAnswerWithTheErrorAsItsLastChunk() throws Exception {
        String tooLong = "x".repeat(MAX_RESPONSE_SIZE + 1);
        try (Socket socket = post("one " + tooLong + " three")) {
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 200 OK", head(in).get(0));
            assertEquals("one ", chunk(in));
            JsonNode error = new ObjectMapper().readTree(chunk(in));
            assertEquals(507, error.get("code").asInt(), error.toString());
            assertEquals("ResponseTooLargeException", error.get("type").asText());
            assertEquals(null, chunk(in), "the end of the answer");
        }
        // Before any chunk, the refusal is the answer, with its status.
        HttpResponse<String> refused = server.predict("/predictions/stream", (tooLong + " b").getBytes(), "POST");
        assertEquals(507, refused.statusCode(), refused.body());
    }

    @Test
    void grpcStreamPredictionsSendsEachWordAsAMessageBeforeTheNextIsMade() {
        Iterator<PredictionResponse> messages = InferenceAPIsServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(withKey())
                .streamPredictions(text("one two three"));

        List<String> words = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        while (messages.hasNext()) {
            words.add(messages.next().getPrediction().toStringUtf8());
            arrivals.add(System.nanoTime());
        }
        assertEquals(List.of("one ", "two ", "three"), words, "the words, the last one last, then the end");
        assertMadeApart(arrivals);
    }

    @Test
    void grpcStreamPredictions2SendsEachRequestsWordsInItsTurn() throws Exception {
        List<String> words = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<PredictionsRequest> requests = InferenceAPIsServiceGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(withKey())
                .streamPredictions2(new StreamObserver<>() {
                    @Override
                    public void onNext(PredictionResponse message) {
                        words.add(message.getSequenceId() + ":"
                                + message.getPrediction().toStringUtf8());
                        arrivals.add(System.nanoTime());
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        requests.onNext(text("one two").toBuilder().setSequenceId("a").build());
        requests.onNext(text("three four").toBuilder().setSequenceId("b").build());
        requests.onCompleted();

        done.get(30, TimeUnit.SECONDS); // gRPC calls the observer one message at a time, then onCompleted
        assertEquals(List.of("a:one ", "a:two", "b:three ", "b:four"), words, "each request's words, in turn");
        assertMadeApart(List.of(arrivals.get(0), arrivals.get(1)));
        assertMadeApart(List.of(arrivals.get(2), arrivals.get(3)));
    }

    @Test
    void aClientGoneMidStreamFreesTheWorker() throws Exception {
        long gone;
        try (Socket socket = post("a b c d e f g h i j")) {
            InputStream in = socket.getInputStream();
            head(in);
            assertEquals("a ", chunk(in));
            gone = System.nanoTime();
        }
        // The other nine words take 13.5 s; the handler is told within its next three that nobody takes them
        // (the first write after the close is refused by the client, the next fails, the one after is refused).
        HttpResponse<String> next = server.predict("/predictions/stream", "next".getBytes(), "POST");
        long waitedMs = (System.nanoTime() - gone) / 1_000_000;
        assertEquals("next", next.body());
        System.out.printf("StreamingIT: the next request answered %d ms after its client left mid-stream%n", waitedMs);
        assertTrue(waitedMs < 5 * PAUSE_MS, "the worker took the next request after " + waitedMs + " ms");
    }

    private static ClientInterceptor withKey() {
        Metadata key = new Metadata();
        key.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + server.key("inference"));
        return MetadataUtils.newAttachHeadersInterceptor(key);
    }

    private static PredictionsRequest text(String text) {
        return PredictionsRequest.newBuilder()
                .setModelName("stream")
                .putInput("data", ByteString.copyFromUtf8(text))
                .build();
    }

    /** Each part came a pause after the one before it: it was sent before the next was made. */
    private static void assertMadeApart(List<Long> arrivals) {
        for (int i = 1; i < arrivals.size(); i++) {
            long apartMs = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
            assertTrue(apartMs > PAUSE_MS / 2, "part " + (i + 1) + " came " + apartMs + " ms after part " + i);
        }
    }

    private static Socket post(String text) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.inferencePort);
        socket.setSoTimeout(30_000);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /predictions/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + server.key("inference") + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** @return the status line, then the header lines in lower case */
    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(RawHttp.line(in));
        for (String line = RawHttp.line(in); !line.isEmpty(); line = RawHttp.line(in)) {
            lines.add(line.toLowerCase(Locale.ROOT));
        }
        return lines;
    }

    /**
     * @return the next chunk's data, or null after the last chunk; returned as soon as its data
     *     is in, since Jetty sends the line end after a chunk's data with the next chunk
     */
    private static String chunk(InputStream in) throws IOException {
        String sizeLine = RawHttp.line(in);
        if (sizeLine.isEmpty()) {
            sizeLine = RawHttp.line(in); // the end of the chunk before
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
        if (size == 0) {
            RawHttp.line(in);
            return null;
        }
        return new String(in.readNBytes(size), StandardCharsets.UTF_8);
    }
}
