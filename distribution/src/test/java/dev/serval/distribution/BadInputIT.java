package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input matrix: every case gets its exact status and TorchServe's JSON error with a
 * message, and afterwards every model still serves, with no threads or file handles left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NPY = "application/x-npy";
    /** 600 bytes claiming 1.7 GB, its shape past the 512 bytes the old size check read. */
    private static final byte[] NPY_CLAIM = Npy.of("<f4", "(" + "1, ".repeat(170) + "3, 12000, 12000)", new byte[16]);

    private static final byte[] SAFETENSORS_CLAIM = Npy.safetensors(
            "{\"x\": {\"dtype\": \"F32\", \"shape\": [1, 3, 12000, 12000], \"data_offsets\": [0, 1728000000]}}",
            new byte[16]);

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] png;
    private static byte[] jpeg;
    private static byte[] scene;
    /** 12 KB of PNG that decodes to 2000 × 2000 pixels: the segmenter's answer would be dense. */
    private static byte[] segmenterClaim;

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
    record Case(
            String name,
            String method,
            boolean management,
            String path,
            byte[] body,
            String contentType,
            int status,
            String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.model(
                store.resolve("detector.mar"),
                Archives.SHAPES_DETECTOR,
                "detector",
                "1.0",
                "shapes_detector.pt",
                "object_detector",
                "");
        Archives.reviews(
                store.resolve("reviews.mar"),
                "reviews",
                "reviews_distilbert.pt",
                "hf_sequence_classifier",
                List.of("tokenizer.json", "config.json"));
        Archives.model(
                store.resolve("segmenter.mar"),
                Archives.SHAPES_SEGMENTER,
                "segmenter",
                "1.0",
                "shapes_segmenter.pt",
                "image_segmenter",
                "");
        Archives.digits(
                store.resolve("huge-batch.mar"),
                "huge_batch",
                "1.0",
                "convnet_digits.pt",
                "image_classifier",
                "batchSize: 2147483647");
        BadArchives.writeAll(store);
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        jpeg = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        segmenterClaim = Images.blankPng(2000, 2000);
        scene = Reference.input(
                Archives.SHAPES_DETECTOR,
                Reference.cases(Archives.SHAPES_DETECTOR).get(0));
        server = ServerProcess.start(
                root, store, "load_models=digits.mar,detector.mar,reviews.mar,segmenter.mar", "enable_model_api=true");
        // Warm every model once, so that lazily started threads count as the baseline.
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(200, server.predict("/predictions/detector", scene, "PUT").statusCode());
        assertEquals(
                200,
                server.postText("/predictions/reviews", "fine".getBytes(), "text/plain")
                        .statusCode());
        assertEquals(
                200,
                server.predict("/predictions/segmenter?output=compact", scene, "PUT")
                        .statusCode());
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
                predict(
                        "base64 that is not",
                        "digits",
                        "{\"data\": \"!!not base64!!\"}".getBytes(),
                        "application/json",
                        400),
                predict(
                        "base64 of text",
                        "digits",
                        ("{\"data\": \"" + java.util.Base64.getEncoder().encodeToString(text) + "\"}").getBytes(),
                        "application/json",
                        400),
                predict("npy that is not", "digits", png, "application/x-npy", 400),
                predict(
                        "npy of the wrong dtype",
                        "digits",
                        Npy.of("|b1", "(1, 28, 28)", new byte[784]),
                        "application/x-npy",
                        400),
                predict(
                        "npy of the wrong shape",
                        "digits",
                        Npy.of("<f4", "(1, 3, 5, 5)", new byte[300]),
                        "application/x-npy",
                        400),
                predict(
                        "npy claiming more than it holds",
                        "digits",
                        Npy.of("<f4", "(1, 28, 28)", new byte[16]),
                        "application/x-npy",
                        400),
                predict("topk=-1", "digits?topk=-1", png, null, 400),
                predict("topk=abc", "digits?topk=abc", png, null, 400),
                predict("threshold=2", "detector?threshold=2", scene, null, 400),
                predict("threshold=abc", "detector?threshold=abc", scene, null, 400),
                predict("empty text", "reviews", new byte[0], "text/plain", 400),
                predict("invalid UTF-8", "reviews", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "text/plain", 400),
                predict("text JSON without text", "reviews", "{\"x\": 1}".getBytes(), "application/json", 400),
                new Case(
                        "body over max_request_size",
                        "PUT",
                        false,
                        "/predictions/digits",
                        new byte[8_000_000],
                        null,
                        413,
                        "RequestTooLargeException"),
                new Case("unknown model", "PUT", false, "/predictions/nope", png, null, 404, "ModelNotFoundException"),
                new Case(
                        "unknown version",
                        "PUT",
                        false,
                        "/predictions/digits/9.9",
                        png,
                        null,
                        404,
                        "ModelVersionNotFoundException"),
                new Case(
                        "dot-dot in the model name",
                        "PUT",
                        false,
                        "/predictions/..%2F..%2Fetc%2Fpasswd",
                        png,
                        null,
                        400,
                        "BadRequestException"),
                new Case(
                        "encoded slash in the model name",
                        "PUT",
                        false,
                        "/predictions/digits%2F1.0",
                        png,
                        null,
                        404,
                        "ModelNotFoundException"),
                new Case("unknown route", "GET", false, "/predictions", null, null, 404, "ResourceNotFoundException"),
                new Case(
                        "wrong method",
                        "DELETE",
                        false,
                        "/predictions/digits",
                        null,
                        null,
                        405,
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
        // Issue 17, part 4: a model name is TorchServe's (letters, digits, '-', '_' and '.', starting with a
        // letter or digit) and at most 255 characters, whether the register call or the manifest gives it.
        for (String name : List.of("..", "a%2Fb", "..%2F..%2Fetc", "a%0Ab", "a%1B%5B31m", ".hidden", "a".repeat(300))) {
            cases.add(manage("POST", "/models?url=digits.mar&model_name=" + name, 400, "InvalidModelException"));
        }
        // Issue 17, section 3: no allocation before the bytes prove it.
        cases.addAll(List.of(
                predict("npy whose shape runs past 512 bytes", "digits", NPY_CLAIM, NPY, 400),
                predict("npz archive sent as npy", "digits", Npy.npz(NPY_CLAIM), NPY, 400),
                predict("safetensors sent as npy", "digits", SAFETENSORS_CLAIM, NPY, 400),
                predict(
                        "DJL's NDList sent as npy",
                        "digits",
                        new byte[] {0, 0, 0, 1, 0, 4, 'N', 'D', 'A', 'R', 0, 0, 0, 3},
                        NPY,
                        400),
                predict("npy of complex numbers", "digits", Npy.of("<c8", "(1, 28, 28)", new byte[784 * 8]), NPY, 400),
                predict(
                        "npy in Fortran order",
                        "digits",
                        Npy.withHeader(
                                "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 28, 28), }", new byte[784 * 4]),
                        NPY,
                        400),
                predict(
                        "npy with bytes past its data",
                        "digits",
                        Npy.of("<f4", "(1, 28, 28)", new byte[784 * 4 + 1]),
                        NPY,
                        400),
                predict(
                        "npy with an unknown header key",
                        "digits",
                        Npy.withHeader(
                                "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 28, 28), 'x': 1}",
                                new byte[784 * 4]),
                        NPY,
                        400),
                predict("image over the segmenter's max_pixels", "segmenter", segmenterClaim, null, 400),
                predict(
                        "npy over the segmenter's max_pixels",
                        "segmenter",
                        Npy.of("|u1", "(1, 3, 1100, 1100)", new byte[3 * 1100 * 1100]),
                        NPY,
                        400)));
        for (String pastCeiling : List.of(
                "batch_size=2147483647",
                "batch_size=1025",
                "max_batch_delay=60001",
                "response_timeout=2147483647",
                "initial_workers=129")) {
            cases.add(manage("POST", "/models?url=digits.mar&" + pastCeiling, 400, "BadRequestException"));
        }
        for (String pastCeiling : List.of("min_worker=129", "min_worker=1&max_worker=2147483647")) {
            cases.add(manage("PUT", "/models/digits?" + pastCeiling, 400, "BadRequestException"));
        }
        cases.add(manage("POST", "/models?url=huge-batch.mar", 400, "InvalidModelException"));
        // Issue 17, part 2: malformed multipart forms are a 400 (or a 413 past max_request_size), never a 500.
        cases.addAll(List.of(
                form(
                        "multipart without a boundary",
                        "multipart/form-data",
                        part("data", "hi") + "--x--\r\n",
                        400,
                        "BadRequestException"),
                form(
                        "truncated multipart",
                        "multipart/form-data; boundary=x",
                        "--x\r\nContent-Disposition: form-data; name=\"data\"; filename=\"a.png\"\r\n\r\nabc",
                        400,
                        "BadRequestException"),
                form(
                        "multipart part over max_request_size",
                        "multipart/form-data; boundary=x",
                        part("data", "x".repeat(7_000_000)) + "--x--\r\n",
                        413,
                        "RequestTooLargeException"),
                form(
                        "multipart with thousands of parts",
                        "multipart/form-data; boundary=x",
                        IntStream.range(0, 5000)
                                        .mapToObj(i -> part("f" + i, "v"))
                                        .collect(Collectors.joining()) + "--x--\r\n",
                        400,
                        "BadRequestException")));
        // Issue 21, KServe's v1 protocol: a body that is no v1 request, or an instance the handler cannot take.
        String pngInstance = "\"" + Base64.getEncoder().encodeToString(png) + "\"";
        cases.addAll(List.of(
                v1("v1: body not JSON", "digits:predict", "{\"instances\": [", 400, "BadRequestException"),
                v1("v1: body not an object", "digits:predict", "[" + pngInstance + "]", 400, "BadRequestException"),
                v1(
                        "v1: no instances",
                        "digits:predict",
                        "{\"inputs\": [" + pngInstance + "]}",
                        400,
                        "BadRequestException"),
                v1(
                        "v1: instances not a list",
                        "digits:predict",
                        "{\"instances\": " + pngInstance + "}",
                        400,
                        "BadRequestException"),
                v1("v1: instances empty", "digits:predict", "{\"instances\": []}", 400, "BadRequestException"),
                v1(
                        "v1: a null instance",
                        "digits:predict",
                        "{\"instances\": [" + pngInstance + ", null]}",
                        400,
                        "BadRequestException"),
                v1(
                        "v1: a number to the image handler",
                        "digits:predict",
                        "{\"instances\": [7]}",
                        400,
                        "BadRequestException"),
                v1(
                        "v1: base64 of text",
                        "digits:predict",
                        "{\"instances\": [{\"data\": \"" + Base64.getEncoder().encodeToString(text) + "\"}]}",
                        400,
                        "BadRequestException"),
                v1(
                        "v1: one bad instance of two",
                        "digits:predict",
                        "{\"instances\": [" + pngInstance + ", \"!!not base64!!\"]}",
                        400,
                        "BadRequestException"),
                v1("v1: an empty text", "reviews:predict", "{\"instances\": [\"\"]}", 400, "BadRequestException"),
                v1(
                        "v1: more instances than the job queue",
                        "digits:predict",
                        "{\"instances\": [" + String.join(", ", Collections.nCopies(1025, pngInstance)) + "]}",
                        400,
                        "BadRequestException"),
                v1(
                        "v1: body over max_request_size",
                        "digits:predict",
                        "{\"instances\": [\"" + "A".repeat(7_000_000) + "\"]}",
                        413,
                        "RequestTooLargeException"),
                v1(
                        "v1: unknown model",
                        "nope:predict",
                        "{\"instances\": [" + pngInstance + "]}",
                        404,
                        "ModelNotFoundException"),
                v1(
                        "v1: explain",
                        "digits:explain",
                        "{\"instances\": [" + pngInstance + "]}",
                        501,
                        "NotImplementedException"),
                new Case(
                        "v1: ready of an unknown model",
                        "GET",
                        false,
                        "/v1/models/nope",
                        null,
                        null,
                        404,
                        "ModelNotFoundException")));
        for (Map.Entry<String, String> archive : BadArchives.NAMES.entrySet()) {
            cases.add(new Case(
                    archive.getValue(),
                    "POST",
                    true,
                    "/models?url=" + archive.getKey(),
                    null,
                    null,
                    400,
                    "InvalidModelException"));
        }
        // Issue 22, the web console's deploy upload (enable_model_api is on here): a name that is not a
        // plain .mar, .zip or .jar file name is a 400, a body past max_request_size a 413.
        for (String name : List.of(".hidden.mar", "notes.txt", "a..b.mar", "-a.jar", "a.mar.cfg")) {
            cases.add(new Case(
                    "deploy " + name,
                    "PUT",
                    true,
                    "/server/deploy/" + name,
                    "x".getBytes(),
                    null,
                    400,
                    "BadRequestException"));
        }
        cases.add(new Case(
                "deploy past max_request_size",
                "PUT",
                true,
                "/server/deploy/big.mar",
                new byte[7_000_000],
                null,
                413,
                "RequestTooLargeException"));
        return cases.stream();
    }

    private static Case predict(String name, String model, byte[] body, String contentType, int status) {
        return new Case(name, "PUT", false, "/predictions/" + model, body, contentType, status, "BadRequestException");
    }

    private static Case v1(String name, String modelAndVerb, String body, int status, String type) {
        return new Case(
                name,
                "POST",
                false,
                "/v1/models/" + modelAndVerb,
                body.getBytes(StandardCharsets.UTF_8),
                "application/json",
                status,
                type);
    }

    private static Case form(String name, String contentType, String body, int status, String type) {
        return new Case(
                name,
                "PUT",
                false,
                "/predictions/digits",
                body.getBytes(StandardCharsets.ISO_8859_1),
                contentType,
                status,
                type);
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
        HttpRequest.Builder request = server.request(
                        c.management() ? server.managementPort : server.inferencePort, c.path())
                .method(
                        c.method(),
                        c.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
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

    // Issue 17, section 1 (the shell and Host checks): a Host that is not a loopback listener's own,
    // as a browser sends it after DNS rebinding, on each listener and on the shell's upgrade.
    @Order(1)
    @ParameterizedTest(name = "Host {0} on every listener")
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:PORT",
                "127.0.0.1.evil.example:PORT",
                "localhost.:PORT",
                "[::2]:PORT",
                "0.0.0.0:PORT"
            })
    void aHostThatIsNotTheListenersIsMisdirected(String host) throws Exception {
        List<String> inference = List.of("Authorization: Bearer " + server.key("inference"));
        List<String> management = List.of("Authorization: Bearer " + server.key("management"));
        List<String> upgrade = new ArrayList<>(RawHttp.UPGRADE);
        upgrade.addAll(management);
        record Request(int port, String target, List<String> headers) {}
        for (Request request : List.of(
                new Request(server.inferencePort, "GET /ping", inference),
                new Request(server.managementPort, "GET /models", management),
                new Request(server.metricsPort, "GET /metrics", List.of()),
                new Request(server.managementPort, "GET /shell", upgrade))) {
            RawHttp.Response response = RawHttp.send(
                    request.port(), request.target(), host.replace("PORT", "" + request.port()), request.headers());

            assertEquals(421, response.status(), request.target() + " " + response.body());
            JsonNode error = JSON.readTree(response.body());
            assertEquals(421, error.get("code").asInt(), response.body());
            assertEquals("MisdirectedRequestException", error.get("type").asText(), response.body());
            assertTrue(
                    error.get("message").asText().contains(host.replace("PORT", "" + request.port())), response.body());
        }
    }

    /**
     * Section 3's claims, each a few bytes or kilobytes, sent again and again: before, each made
     * the server allocate gigabytes (npy, npz, segmenter), tokenize for seconds (6 MB of text) or
     * start workers past any need. Each phase must leave memory, threads and time flat.
     */
    @Test
    @Order(1)
    void claimsCostNoMemoryThreadsOrTimeInProportion() throws Throwable {
        phase(".npy, .npz and safetensors claims of 1.7 GB", () -> {
            assertEquals(
                    400,
                    server.post("/predictions/digits", NPY_CLAIM, "Content-Type", NPY)
                            .statusCode());
            assertEquals(
                    400,
                    server.post("/predictions/digits", Npy.npz(NPY_CLAIM), "Content-Type", NPY)
                            .statusCode());
            assertEquals(
                    400,
                    server.post("/predictions/digits", SAFETENSORS_CLAIM, "Content-Type", NPY)
                            .statusCode());
        });
        phase(
                "a 12 KB PNG of 2000 × 2000 to the segmenter",
                () -> assertEquals(
                        400,
                        server.post("/predictions/segmenter", segmenterClaim).statusCode()));
        byte[] longText = ("great food ".repeat(545_000)).getBytes(StandardCharsets.UTF_8);
        phase(
                "6 MB of text to the classifier",
                () -> assertEquals(
                        200,
                        server.postText("/predictions/reviews", longText, "text/plain")
                                .statusCode()));
        phase("batch_size and workers past their ceilings", () -> {
            assertEquals(
                    400,
                    server.send(
                                    "POST",
                                    server.managementPort,
                                    "/models?url=digits.mar&model_name=huge&batch_size=2147483647")
                            .statusCode());
            assertEquals(
                    400,
                    server.send("PUT", server.managementPort, "/models/digits?min_worker=100000")
                            .statusCode());
        });
    }

    /** Runs {@code claim} three times, with the server's figures printed before and after, and bounds them. */
    private static void phase(String name, Executable claim) throws Throwable {
        server.resources("before " + name);
        long resident = server.residentBytes();
        int threads = server.threads();
        long start = System.nanoTime();
        for (int round = 0; round < 3; round++) {
            claim.execute();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        server.resources("after " + name + ", " + millis + " ms");
        long grown = (server.residentBytes() - resident) >> 20;
        assertTrue(grown < 150, name + ": resident memory grew by " + grown + " MB");
        assertTrue(server.threads() <= threads + 4, name + ": threads " + threads + " → " + server.threads());
        assertTrue(millis < 10_000, name + " took " + millis + " ms");
    }

    /** A model answering NaN (here from an input of NaNs) gets null in its JSON, which every parser reads. */
    @Test
    @Order(1)
    void nonFiniteScoresAreNullInTheAnswer() throws Exception {
        ByteBuffer nans = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        while (nans.hasRemaining()) {
            nans.putFloat(Float.NaN);
        }
        HttpResponse<byte[]> response =
                server.post("/predictions/digits", Npy.of("<f4", "(1, 1, 28, 28)", nans.array()), "Content-Type", NPY);

        assertEquals(200, response.statusCode());
        JsonNode scores = JSON.readTree(response.body());
        assertFalse(scores.isEmpty(), scores.toString());
        scores.forEach(score -> assertTrue(score.isNull(), scores.toString()));
    }

    // Issue 20, KServe v2 REST: the binary tensor data extension's lengths, each checked against the
    // bytes sent before anything is allocated, and BYTES inputs through the handler.
    /**
     * @param name what the case is
     * @param headerLength the {@code Inference-Header-Content-Length} sent, or null for the JSON's length
     * @param json the body's JSON part
     * @param binary the bytes after it
     * @param message what the error's message says
     */
    record BinaryCase(String name, String headerLength, String json, byte[] binary, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BinaryCase> binaryCases() {
        String fp32 = "{\"inputs\": [{\"name\": \"input0\", \"datatype\": \"%s\", \"shape\": %s,"
                + " \"parameters\": {\"binary_data_size\": %s}}]}";
        String one = fp32.formatted("FP32", "[1, 1, 28, 28]", "3136");
        String twoInputs = "{\"inputs\": ["
                + "{\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 2],"
                + " \"parameters\": {\"binary_data_size\": 16}},"
                + "{\"name\": \"attention_mask\", \"datatype\": \"INT64\", \"shape\": [1, 2],"
                + " \"parameters\": {\"binary_data_size\": 16}}]}";
        return Stream.of(
                new BinaryCase(
                        "header length past the body",
                        "99999",
                        one,
                        new byte[3136],
                        "Inference-Header-Content-Length is 99999"),
                new BinaryCase(
                        "negative header length", "-1", one, new byte[3136], "Inference-Header-Content-Length is -1"),
                new BinaryCase("header length not a number", "12abc", one, new byte[3136], "is not a number"),
                new BinaryCase("header length cutting the JSON", "10", one, new byte[3136], "not JSON"),
                new BinaryCase(
                        "binary_data_size not shape × 4",
                        null,
                        fp32.formatted("FP32", "[1, 1, 28, 28]", "3000"),
                        new byte[3000],
                        "needs 3136"),
                new BinaryCase("binary_data_size past the body", null, one, new byte[100], "claims 3136 bytes"),
                new BinaryCase(
                        "binary_data_size negative",
                        null,
                        fp32.formatted("FP32", "[1]", "-4"),
                        new byte[4],
                        "bad binary_data_size"),
                new BinaryCase(
                        "binary_data_size not a number",
                        null,
                        fp32.formatted("FP32", "[1]", "\"4\""),
                        new byte[4],
                        "bad binary_data_size"),
                new BinaryCase(
                        "two inputs' sizes summing past the body",
                        null,
                        twoInputs,
                        new byte[24],
                        "claims 16 bytes; the body has 8 left"),
                new BinaryCase(
                        "bytes after the last tensor",
                        null,
                        fp32.formatted("FP32", "[1]", "4"),
                        new byte[5],
                        "1 bytes after the JSON"),
                new BinaryCase(
                        "a shape of 2^30 FP64 in 8 bytes",
                        null,
                        fp32.formatted("FP64", "[1073741824]", "8"),
                        new byte[8],
                        "needs 8589934592"),
                new BinaryCase(
                        "a shape of 2^60 elements",
                        null,
                        fp32.formatted("FP32", "[1073741824, 1073741824]", "4"),
                        new byte[4],
                        "too many elements"),
                new BinaryCase(
                        "a BYTES element claiming 2 GB",
                        null,
                        fp32.formatted("BYTES", "[1]", "8"),
                        new byte[] {-1, -1, -1, 127, 1, 2, 3, 4},
                        "claims 2147483647 bytes"),
                new BinaryCase(
                        "BYTES of 2^30 elements in 4 bytes",
                        null,
                        fp32.formatted("BYTES", "[1073741824]", "4"),
                        new byte[4],
                        "needs 1073741824"),
                new BinaryCase(
                        "BYTES text that is not an image",
                        null,
                        fp32.formatted("BYTES", "[1]", "8"),
                        new byte[] {4, 0, 0, 0, 't', 'e', 'x', 't'},
                        "image"));
    }

    @Order(1)
    @ParameterizedTest(name = "KServe binary: {0}")
    @MethodSource("binaryCases")
    void binaryTensorsOfBadLengthsAreRefused(BinaryCase c) throws Exception {
        byte[] json = c.json().getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(json.length + c.binary().length)
                .put(json)
                .put(c.binary())
                .array();
        String model = c.json().contains("input_ids") ? "reviews" : "digits";

        HttpResponse<byte[]> response = server.post(
                "/v2/models/" + model + "/infer",
                body,
                "Inference-Header-Content-Length",
                c.headerLength() == null ? String.valueOf(json.length) : c.headerLength());

        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(400, response.statusCode(), text);
        JsonNode error = JSON.readTree(text);
        assertEquals(400, error.get("code").asInt(), text);
        assertEquals("BadRequestException", error.get("type").asText(), text);
        assertEquals(error.get("message"), error.get("error"), text);
        assertTrue(error.get("message").asText().contains(c.message()), text);
    }

    /** A few bytes claiming gigabytes of tensor, again and again: memory, threads and time stay flat. */
    @Test
    @Order(1)
    void binaryTensorClaimsCostNothingInProportion() throws Throwable {
        byte[] json = ("{\"inputs\": [{\"name\": \"input0\", \"datatype\": \"FP64\", \"shape\": [16, 1024, 1024, 16],"
                        + " \"parameters\": {\"binary_data_size\": 2147483648}}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = ByteBuffer.allocate(json.length + 64).put(json).array();
        phase(
                "KServe binary tensors claiming 2 GB",
                () -> assertEquals(
                        400,
                        server.post(
                                        "/v2/models/digits/infer",
                                        body,
                                        "Inference-Header-Content-Length",
                                        String.valueOf(json.length))
                                .statusCode()));
    }

    // Issue 20, KServe v2 over gRPC: raw and typed contents claiming gigabytes cost nothing in proportion either.
    /** 64 bytes of raw contents, and one typed element, each claiming 2 GB of FP64, again and again. */
    @Test
    @Order(1)
    void grpcTensorClaimsCostNothingInProportion() throws Throwable {
        ModelInferRequest.InferInputTensor.Builder claim = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input0")
                .setDatatype("FP64")
                .addAllShape(List.of(16L, 1024L, 1024L, 16L));
        ModelInferRequest raw = ModelInferRequest.newBuilder()
                .setModelName("digits")
                .addInputs(claim)
                .addRawInputContents(ByteString.copyFrom(new byte[64]))
                .build();
        ModelInferRequest typed = ModelInferRequest.newBuilder()
                .setModelName("digits")
                .addInputs(claim.clone()
                        .setContents(InferTensorContents.newBuilder().addFp64Contents(1)))
                .build();
        Metadata key = new Metadata();
        key.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + server.key("inference"));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcInferencePort)
                .usePlaintext()
                .build();
        try {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc.newBlockingStub(
                            channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
            phase("KServe gRPC tensors claiming 2 GB", () -> {
                for (ModelInferRequest request : List.of(raw, typed)) {
                    Status status = assertThrows(
                                    StatusRuntimeException.class,
                                    () -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                            .modelInfer(request))
                            .getStatus();
                    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
                }
            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void afterwardsEveryModelServesAndNothingLeaked() throws Exception {
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertEquals(200, server.predict("/predictions/detector", scene, "PUT").statusCode());
        assertEquals(
                200,
                server.postText("/predictions/reviews", "fine".getBytes(), "text/plain")
                        .statusCode());
        assertFalse(Files.exists(root.resolve("evil.txt")), "the zip-slip entry was not written");
        // Issue 17, part 2: a malformed form is the client's error, not a stack trace in the log.
        assertTrue(server.log().lines().noneMatch(line -> line.contains("MultiPart")), server.log());
        // Slack for the pools that grow to the load's demand and retire their threads on their own
        // (Jetty's, gRPC's event loops on its first call): a leak per request would pass it many
        // times over in the 128 cases.
        assertTrue(server.threads() <= threadsBefore + 8, "threads " + threadsBefore + " → " + server.threads());
        assertTrue(server.openFiles() <= filesBefore + 4, "open files " + filesBefore + " → " + server.openFiles());
    }
}
