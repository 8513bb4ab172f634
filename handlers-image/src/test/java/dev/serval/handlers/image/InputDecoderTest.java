package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.kernel.engine.Engines;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InputDecoderTest {

    private static final Path DIGITS = ReferenceModels.DIR.resolve("digits");
    private static final InputDecoder DECODER = new InputDecoder(ImageDecoder.from(Map.of()),
            Preprocessing.from(ModelConfig.of(Map.of("handler", Map.of("resize", "none", "grayscale", true,
                    "mean", 0.1302, "std", 0.3069))), Preprocessing.Defaults.IMAGENET));

    private static NDManager manager;

    @BeforeAll
    static void engine() throws Exception {
        Engines.initialize(Path.of(System.getProperty("serval.test.cache", "../target/native-cache")));
        manager = NDManager.newBaseManager(Engines.PYTORCH);
    }

    @AfterAll
    static void release() {
        manager.close();
    }

    @Test
    void base64InJsonIsTheSameImageAsTheRawBody() throws Exception {
        byte[] png = Files.readAllBytes(DIGITS.resolve("images/digit_00_label5.png"));
        InputTensor raw = DECODER.decode(Request.builder(png).build(), manager);
        // Python's base64.encodebytes breaks lines, and json.dumps escapes the breaks.
        String[] bodies = {
            "{\"data\": \"" + Base64.getEncoder().encodeToString(png) + "\"}",
            "{\"body\": \"" + Base64.getMimeEncoder().encodeToString(png).replace("\r\n", "\\n") + "\"}"};
        for (String json : bodies) {
            InputTensor fromJson = DECODER.decode(json(json), manager);
            assertEquals(raw.shape(), fromJson.shape());
            assertArrayEquals(raw.data(), fromJson.data());
        }
    }

    @Test
    void badJsonBodiesAreBadRequests() {
        assertBadRequest(json("{not json"), "cannot be parsed");
        assertBadRequest(json("{\"image\": \"abc\"}"), "{\"data\"");
        assertBadRequest(json("{\"data\": [1, 2]}"), "{\"data\"");
        assertBadRequest(json("{\"data\": \"abcde\"}"), "not valid base64");
        assertBadRequest(json("{\"data\": \"\"}"), "empty");
    }

    /** The .npy file was written by NumPy (distribution/models/digits/inputs/make_inputs.py). */
    @Test
    void npyBodiesSkipPreprocessing() throws Exception {
        byte[] npy = Files.readAllBytes(DIGITS.resolve("inputs/digit_00_label5.npy"));
        InputTensor tensor = DECODER.decode(npy(npy), manager);
        assertEquals(new Shape(1, 28, 28), tensor.shape());
        float[] expected = new float[28 * 28];
        ByteBuffer.wrap(npy, npy.length - expected.length * 4, expected.length * 4).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(expected);
        assertArrayEquals(expected, tensor.data());
    }

    @Test
    void otherNumericTypesBecomeFloat32() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(-2).putDouble(7);
        InputTensor tensor = DECODER.decode(npy(npyFile("<f8", "(1, 1, 3)", data.array())), manager);
        assertArrayEquals(new float[] {0.5f, -2f, 7f}, tensor.data());
    }

    @Test
    void badNpyBodiesAreBadRequests() throws Exception {
        byte[] npy = Files.readAllBytes(DIGITS.resolve("inputs/digit_00_label5.npy"));
        assertBadRequest(npy("not numpy".getBytes()), "not a NumPy .npy array");
        assertBadRequest(npy(Arrays.copyOf(npy, npy.length - 100)), "not a NumPy .npy array");
        assertBadRequest(npy(npyFile("<f4", "(2, 1, 2, 2)", new byte[32])), "C×H×W or 1×C×H×W");
        assertBadRequest(npy(npyFile("|b1", "(1, 1, 2)", new byte[2])), "not numbers");
        // DJL would allocate the 1.8 GB the header claims before finding the data missing.
        assertBadRequest(npy(npyFile("<f4", "(1, 3, 15000, 10000)", new byte[64])), "more values than");
    }

    private static Request json(String body) {
        return Request.builder(body.getBytes(StandardCharsets.UTF_8)).contentType("application/json").build();
    }

    private static Request npy(byte[] body) {
        return Request.builder(body).contentType(InputDecoder.NPY).build();
    }

    /** NumPy's format 1.0: magic, version, header length, a Python dict literal, the data. */
    private static byte[] npyFile(String descr, String shape, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
        ByteBuffer file = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return file.put(header.getBytes(StandardCharsets.US_ASCII)).put(data).array();
    }

    private static void assertBadRequest(Request request, String message) {
        HandlerException e = assertThrows(HandlerException.class, () -> DECODER.decode(request, manager));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
