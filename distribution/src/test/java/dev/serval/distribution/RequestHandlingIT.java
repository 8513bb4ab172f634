package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How requests reach the handler: batched as the model config asks, as multipart forms, and
 * refused with TorchServe's JSON when they are too large.
 */
class RequestHandlingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 8;

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static List<byte[]> images;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        // TorchServe's batching, which waits out the delay: the concurrent requests are batched
        // however the client's threads are scheduled.
        Archives.digits(
                store.resolve("batched.mar"),
                "batched",
                "1.0",
                "convnet_digits.pt",
                "image_classifier",
                "batchSize: " + BATCH + "\nmaxBatchDelay: 50\nbatchPolicy: fixed");
        Archives.digits(store.resolve("single.mar"), "single", "1.0", "convnet_digits.pt", "image_classifier");
        try (Stream<Path> files = Files.list(Archives.DIGITS.resolve("images"))) {
            images = files.sorted().limit(BATCH).map(RequestHandlingIT::read).toList();
        }
        server = ServerProcess.start(root, store, "max_request_size=100000");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aBatchAnswersExactlyWhatSingleCallsAnswer() throws Exception {
        List<String> singles = new ArrayList<>();
        for (byte[] image : images) {
            singles.add(ok(server.predict("/predictions/single", image, "PUT")));
        }

        List<String> batched = concurrently(images, image -> ok(server.predict("/predictions/batched", image, "PUT")));

        // The same classes in the same order; probabilities equal up to float32 rounding, because
        // PyTorch's batched convolution sums in another order than the single one (not bit-equal).
        for (int i = 0; i < BATCH; i++) {
            assertSameAnswer(JSON.readTree(singles.get(i)), JSON.readTree(batched.get(i)));
        }
        assertEquals("fixed", describe("batched").get("batchPolicy").asText());
        JsonNode served = describe("batched").get("served");
        assertEquals(BATCH, served.get("requests").asInt());
        assertTrue(served.get("batches").asInt() < BATCH, "the handler saw batches of more than one: " + served);
    }

    @Test
    void aBadImageInABatchFailsOnlyItsOwnRequest() throws Exception {
        List<byte[]> inputs = new ArrayList<>(images.subList(0, 3));
        inputs.add("not an image".getBytes(StandardCharsets.UTF_8));

        List<HttpResponse<String>> responses =
                concurrently(inputs, input -> server.predict("/predictions/batched", input, "PUT"));

        for (int i = 0; i < 3; i++) {
            assertEquals(200, responses.get(i).statusCode(), responses.get(i).body());
        }
        assertEquals(400, responses.get(3).statusCode(), responses.get(3).body());
        assertEquals(
                "BadRequestException",
                JSON.readTree(responses.get(3).body()).get("type").asText());
    }

    @Test
    void multipartFormFileIsTheInput() throws Exception {
        String boundary = "serval-test-boundary";
        byte[] image = images.get(0);
        byte[] form = concat(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"d.png\"\r\n"
                                + "Content-Type: image/png\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8),
                image,
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = server.request(server.inferencePort, "/predictions/single")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form))
                .build();

        String answer = ok(server.http.send(request, HttpResponse.BodyHandlers.ofString()));

        assertEquals(ok(server.predict("/predictions/single", image, "PUT")), answer);
    }

    @Test
    void bodyOverTheRequestSizeLimitGets413Json() throws Exception {
        HttpResponse<String> response = server.predict("/predictions/single", new byte[200_000], "PUT");

        assertEquals(413, response.statusCode(), response.body());
        assertEquals(413, JSON.readTree(response.body()).get("code").asInt());
    }

    private static void assertSameAnswer(JsonNode expected, JsonNode actual) {
        assertEquals(names(expected.fieldNames()), names(actual.fieldNames()), actual.toString());
        expected.fields()
                .forEachRemaining(e -> assertEquals(
                        e.getValue().asDouble(), actual.get(e.getKey()).asDouble(), 1e-6, actual.toString()));
    }

    private static List<String> names(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static JsonNode describe(String model) throws Exception {
        return JSON.readTree(
                        server.get(server.managementPort, "/models/" + model).body())
                .get(0);
    }

    private static String ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private interface Call<T> {
        T apply(byte[] input) throws Exception;
    }

    private static <T> List<T> concurrently(List<byte[]> inputs, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (byte[] input : inputs) {
                futures.add(pool.submit(() -> call.apply(input)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
