package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix: every case gets its exact status and TorchServe's JSON error with a
 * message, and afterwards every model still serves, with no threads or file handles left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static ServerProcess server;
    private static byte[] png;
    private static byte[] jpeg;
    private static byte[] scene;
    private static int threadsBefore;
    private static int filesBefore;

    /**
     * @param name what the case is
     * @param method HTTP method
     * @param management whether it goes to the management port
     * @param path path and query
     * @param body request body
     * @param contentType its media type, or null
     * @param status the status expected
     * @param type the error type expected
     */
    record Case(String name, String method, boolean management, String path, byte[] body, String contentType,
            int status, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.model(store.resolve("detector.mar"), Archives.SHAPES_DETECTOR, "detector", "1.0",
                "shapes_detector.pt", "object_detector", "");
        Archives.reviews(store.resolve("reviews.mar"), "reviews", "reviews_distilbert.pt", "hf_sequence_classifier",
                List.of("tokenizer.json", "config.json"));
        BadArchives.writeAll(store);
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        jpeg = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        scene = Reference.input(Archives.SHAPES_DETECTOR, Reference.cases(Archives.SHAPES_DETECTOR).get(0));
        server = ServerProcess.start(root, store, "load_models=digits.mar,detector.mar,reviews.mar",
                "enable_model_api=true");
        // Warm every model once, so that lazily started threads count as the baseline.
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(200, server.predict("/predictions/detector", scene, "PUT").statusCode());
        assertEquals(200, server.postText("/predictions/reviews", "fine".getBytes(), "text/plain").statusCode());
        threadsBefore = server.threads();
        filesBefore = server.openFiles();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Stream<Case> cases() throws Exception {
        byte[] text = "this is not an image".getBytes(StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>(List.of(
                predict("empty body", "digits", new byte[0], null, 400),
                predict("truncated PNG", "digits", Arrays.copyOf(png, png.length / 2), null, 400),
                predict("truncated JPEG", "digits", Arrays.copyOf(jpeg, jpeg.length / 2), null, 400),
                predict("PNG header only", "digits", Arrays.copyOf(png, 8), null, 400),
                predict("text sent as an image", "digits", text, "image/png", 400),
                predict("decompression bomb", "digits", Images.pngClaiming(50_000, 50_000), null, 400),
                predict("image with a JSON content type", "digits", png, "application/json", 400),
                predict("invalid JSON", "digits", "{\"data\": ".getBytes(), "application/json", 400),
                predict("JSON without data", "digits", "{\"other\": 1}".getBytes(), "application/json", 400),
                predict("base64 that is not", "digits", "{\"data\": \"!!not base64!!\"}".getBytes(), "application/json", 400),
                predict("base64 of text", "digits", ("{\"data\": \"" + java.util.Base64.getEncoder().encodeToString(text)
                        + "\"}").getBytes(), "application/json", 400),
                predict("npy that is not", "digits", png, "application/x-npy", 400),
                predict("npy of the wrong dtype", "digits", Npy.of("|b1", "(1, 28, 28)", new byte[784]),
                        "application/x-npy", 400),
                predict("npy of the wrong shape", "digits", Npy.of("<f4", "(1, 3, 5, 5)", new byte[300]),
                        "application/x-npy", 400),
                predict("npy claiming more than it holds", "digits", Npy.of("<f4", "(1, 28, 28)", new byte[16]),
                        "application/x-npy", 400),
                predict("topk=-1", "digits?topk=-1", png, null, 400),
                predict("topk=abc", "digits?topk=abc", png, null, 400),
                predict("threshold=2", "detector?threshold=2", scene, null, 400),
                predict("threshold=abc", "detector?threshold=abc", scene, null, 400),
                predict("empty text", "reviews", new byte[0], "text/plain", 400),
                predict("invalid UTF-8", "reviews", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "text/plain", 400),
                predict("text JSON without text", "reviews", "{\"x\": 1}".getBytes(), "application/json", 400),
                new Case("body over max_request_size", "PUT", false, "/predictions/digits", new byte[8_000_000], null,
                        413, "RequestTooLargeException"),
                new Case("unknown model", "PUT", false, "/predictions/nope", png, null, 404, "ModelNotFoundException"),
                new Case("unknown version", "PUT", false, "/predictions/digits/9.9", png, null, 404,
                        "ModelVersionNotFoundException"),
                new Case("dot-dot in the model name", "PUT", false, "/predictions/..%2F..%2Fetc%2Fpasswd", png, null, 400,
                        "BadRequestException"),
                new Case("encoded slash in the model name", "PUT", false, "/predictions/digits%2F1.0", png, null, 404,
                        "ModelNotFoundException"),
                new Case("unknown route", "GET", false, "/predictions", null, null, 404, "ResourceNotFoundException"),
                new Case("wrong method", "DELETE", false, "/predictions/digits", null, null, 405,
                        "MethodNotAllowedException"),
                manage("GET", "/models?limit=abc", 400, "BadRequestException"),
                manage("GET", "/models?next_page_token=x", 400, "BadRequestException"),
                manage("PUT", "/models/digits?min_worker=-1", 400, "BadRequestException"),
                manage("PUT", "/models/digits?max_worker=abc", 400, "BadRequestException"),
                manage("PUT", "/models/digits?min_worker=2&max_worker=1", 400, "BadRequestException"),
                manage("POST", "/models?url=", 400, "BadRequestException"),
                manage("POST", "/models?url=digits.mar&batch_size=-3", 400, "BadRequestException"),
                manage("POST", "/models?url=digits.mar&max_batch_delay=soon", 400, "BadRequestException"),
                manage("POST", "/models?url=digits.mar&response_timeout=0", 400, "BadRequestException"),
                manage("POST", "/models?url=digits.mar&initial_workers=-1", 400, "BadRequestException"),
                manage("POST", "/models?url=digits.mar&runtime=cobol", 400, "BadRequestException"),
                manage("POST", "/models?url=file:///etc/passwd", 400, "BadRequestException"),
                manage("POST", "/models?url=..%2F..%2Fetc%2Fpasswd", 404, "ModelNotFoundException"),
                manage("DELETE", "/models/digits/9.9", 404, "ModelVersionNotFoundException"),
                manage("PUT", "/models/digits/9.9/set-default", 404, "ModelVersionNotFoundException")));
        // Issue 17, part 2: malformed multipart forms are a 400 (or a 413 past max_request_size), never a 500.
        cases.addAll(List.of(
                form("multipart without a boundary", "multipart/form-data", part("data", "hi") + "--x--\r\n", 400,
                        "BadRequestException"),
                form("truncated multipart", "multipart/form-data; boundary=x",
                        "--x\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.png\"\r\n\r\nabc", 400,
                        "BadRequestException"),
                form("multipart part over max_request_size", "multipart/form-data; boundary=x",
                        part("data", "x".repeat(7_000_000)) + "--x--\r\n", 413, "RequestTooLargeException"),
                form("multipart with thousands of parts", "multipart/form-data; boundary=x",
                        IntStream.range(0, 5000).mapToObj(i -> part("f" + i, "v")).collect(Collectors.joining())
                                + "--x--\r\n", 400, "BadRequestException")));
        for (Map.Entry<String, String> archive : BadArchives.NAMES.entrySet()) {
            cases.add(new Case(archive.getValue(), "POST", true, "/models?url=" + archive.getKey(), null, null, 400,
                    "InvalidModelException"));
        }
        return cases.stream();
    }

    private static Case predict(String name, String model, byte[] body, String contentType, int status) {
        return new Case(name, "PUT", false, "/predictions/" + model, body, contentType, status, "BadRequestException");
    }

    private static Case form(String name, String contentType, String body, int status, String type) {
        return new Case(name, "PUT", false, "/predictions/digits", body.getBytes(StandardCharsets.ISO_8859_1),
                contentType, status, type);
    }

    /** @return one field of a form whose boundary is {@code x} */
    private static String part(String name, String value) {
        return "--x\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static Case manage(String method, String path, int status, String type) {
        return new Case(method + " " + path, method, true, path, null, null, status, type);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithAClearJsonError(Case c) throws Exception {
        HttpRequest.Builder request = server.request(c.management() ? server.managementPort : server.inferencePort,
                        c.path())
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        HttpResponse<String> response = server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(c.status(), response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(c.status(), error.get("code").asInt(), response.body());
        assertEquals(c.type(), error.get("type").asText(), response.body());
        assertFalse(error.get("message").asText().isBlank(), response.body());
    }

    @Test
    @Order(2)
    void afterwardsEveryModelServesAndNothingLeaked() throws Exception {
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(200, server.predict("/predictions/detector", scene, "PUT").statusCode());
        assertEquals(200, server.postText("/predictions/reviews", "fine".getBytes(), "text/plain").statusCode());
        assertFalse(Files.exists(root.resolve("evil.txt")), "the zip-slip entry was not written");
        // Issue 17, part 2: a malformed form is the client's error, not a stack trace in the log.
        assertTrue(server.log().lines().noneMatch(line -> line.contains("MultiPart")), server.log());
        // A little slack for threads the JDK's HTTP server side starts and retires on its own.
        assertTrue(server.threads() <= threadsBefore + 4, "threads " + threadsBefore + " → " + server.threads());
        assertTrue(server.openFiles() <= filesBefore + 4, "open files " + filesBefore + " → " + server.openFiles());
    }
}
