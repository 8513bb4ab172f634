package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
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
import org.junit.jupiter.api.Test;

class InputDecoderTest {

    private static final Path DIGITS = ReferenceModels.DIR.resolve("digits");
    private static final Preprocessing AS_IS = Preprocessing.from(
            ModelConfig.of(
                    Map.of("handler", Map.of("resize", "none", "grayscale", true, "mean", 0.1302, "std", 0.3069))),
            Preprocessing.Defaults.IMAGENET);
    private static final InputDecoder DECODER = new InputDecoder(ImageDecoder.from(Map.of()), AS_IS, 1 << 22);
    private static final InputArena ARENA = new InputArena(1 << 20);

    @Test
    void base64InJsonIsTheSameImageAsTheRawBody() throws Exception {
        byte[] png = Files.readAllBytes(DIGITS.resolve("images/digit_00_label5.png"));
        InputTensor raw = DECODER.decode(Request.builder(png).build(), ARENA);
        // Python's base64.encodebytes breaks lines, and json.dumps escapes the breaks.
        String[] bodies = {
            "{\"data\": \"" + Base64.getEncoder().encodeToString(png) + "\"}",
            "{\"body\": \"" + Base64.getMimeEncoder().encodeToString(png).replace("\r\n", "\\n") + "\"}"
        };
        for (String json : bodies) {
            InputTensor fromJson = DECODER.decode(json(json), ARENA);
            assertEquals(raw.shape(), fromJson.shape());
            assertArrayEquals(Samples.values(raw), Samples.values(fromJson));
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
        InputTensor tensor = DECODER.decode(npy(npy), ARENA);
        assertEquals(new Shape(1, 28, 28), tensor.shape());
        float[] expected = new float[28 * 28];
        ByteBuffer.wrap(npy, npy.length - expected.length * 4, expected.length * 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(expected);
        assertArrayEquals(expected, Samples.values(tensor));
    }

    @Test
    void otherNumericTypesBecomeFloat32() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(3 * 8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(0.5)
                .putDouble(-2)
                .putDouble(7);
        InputTensor tensor = DECODER.decode(npy(npyFile("<f8", "(1, 1, 3)", data.array())), ARENA);
        assertArrayEquals(new float[] {0.5f, -2f, 7f}, Samples.values(tensor));
    }

    @Test
    void badNpyBodiesAreBadRequests() throws Exception {
        byte[] npy = Files.readAllBytes(DIGITS.resolve("inputs/digit_00_label5.npy"));
        assertBadRequest(npy("not numpy".getBytes()), "not a NumPy .npy file");
        assertBadRequest(npy(Arrays.copyOf(npy, npy.length - 100)), "but the body holds 3036 bytes");
        assertBadRequest(npy(Arrays.copyOf(npy, npy.length + 1)), "but the body holds 3137 bytes");
        assertBadRequest(npy(npyFile("<f4", "(2, 1, 2, 2)", new byte[32])), "C×H×W or 1×C×H×W");
        assertBadRequest(npy(npyFile("<f4", "(1, 0, 2)", new byte[0])), "no values");
        assertBadRequest(npy(npyFile("|b1", "(1, 1, 2)", new byte[2])), "not a number type");
        assertBadRequest(npy(npyFile("<c8", "(1, 1, 2)", new byte[16])), "not a number type");
        assertBadRequest(npy(npyFile("|f4", "(1, 1, 2)", new byte[8])), "not a number type");
        // DJL would allocate the 1.8 GB the header claims before finding the data missing.
        assertBadRequest(npy(npyFile("<f4", "(1, 3, 15000, 10000)", new byte[64])), "but the body holds 64 bytes");
        assertBadRequest(npy(npyFile("<f8", "(4294967296, 4294967296, 4294967296)", new byte[8])), "over 2^63");
        assertBadRequest(npy(npyFile("<f4", "(1, 1, -2)", new byte[8])), "whole number");
        assertBadRequest(npy(npyFile("<f4", "(8)", new byte[32])), "(n,)");
    }

    @Test
    void modelInputsOverMaxPixelsAreRefusedBeforeTheWorkStarts() throws Exception {
        InputDecoder small = new InputDecoder(ImageDecoder.from(Map.of()), AS_IS, 783);
        byte[] png = Files.readAllBytes(DIGITS.resolve("images/digit_00_label5.png"));
        HandlerException e = assertThrows(
                HandlerException.class, () -> small.decode(Request.builder(png).build(), ARENA));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("28×28 image makes a model input of 784 pixels"), e.getMessage());
        assertTrue(e.getMessage().contains("handler.max_pixels"), e.getMessage());
        e = assertThrows(
                HandlerException.class, () -> small.decode(npy(npyFile("|u1", "(1, 28, 28)", new byte[784])), ARENA));
        assertTrue(e.getMessage().contains("784 pixels"), e.getMessage());

        InputDecoder enough = new InputDecoder(ImageDecoder.from(Map.of()), AS_IS, 784);
        assertEquals(
                new Shape(1, 28, 28),
                enough.decode(Request.builder(png).build(), ARENA).shape());
    }

    @Test
    void npyHeadersAreParsedStrictly() {
        String[] headers = {
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2), 'extra': 1}",
            "{'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2)}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (1, 1, 2)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [1, 1, 2]}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2)} junk",
            "{'descr': '<f4' 'fortran_order': False, 'shape': (1, 1, 2)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2",
        };
        for (String header : headers) {
            assertBadRequest(npy(npyWithHeader(1, header + "\n", new byte[8])), "not a NumPy .npy file");
        }
        assertBadRequest(npy(npyFile("<f4", "(1, 1, 2)", new byte[8], true)), "Fortran order");
    }

    @Test
    void otherFormatsDjlDecodesAreRefusedByName() {
        assertBadRequest(npy(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0, 0, 0}), ".npz");
        byte[] safetensors = new byte[24];
        ByteBuffer.wrap(safetensors)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(2)
                .put((byte) '{')
                .put((byte) '}');
        assertBadRequest(npy(safetensors), "safetensors");
        assertBadRequest(npy(new byte[] {0, 0, 0, 1, 0, 4, 'N', 'D', 'A', 'R', 0, 0}), "DJL");
    }

    @Test
    void formatVersionsTwoAndThreeAndBigEndianAreRead() throws Exception {
        byte[] data = ByteBuffer.allocate(4)
                .order(ByteOrder.BIG_ENDIAN)
                .putShort((short) -3)
                .putShort((short) 300)
                .array();
        String header = "{'shape': (1, 1, 2), 'fortran_order': False, \"descr\": '>i2'}\n";
        for (int version : new int[] {2, 3}) {
            InputTensor tensor = DECODER.decode(npy(npyWithHeader(version, header, data)), ARENA);
            assertArrayEquals(new float[] {-3f, 300f}, Samples.values(tensor));
        }
        byte[] unsigned = {
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff
        };
        assertArrayEquals(
                new float[] {1.8446744E19f},
                Samples.values(DECODER.decode(npy(npyFile("<u8", "(1, 1, 1)", unsigned)), ARENA)));
        assertArrayEquals(
                new float[] {255f},
                Samples.values(DECODER.decode(npy(npyFile("|u1", "(1, 1, 1)", new byte[] {-1})), ARENA)));
    }

    private static Request json(String body) {
        return Request.builder(body.getBytes(StandardCharsets.UTF_8))
                .contentType("application/json")
                .build();
    }

    private static Request npy(byte[] body) {
        return Request.builder(body).contentType(InputDecoder.NPY).build();
    }

    private static byte[] npyFile(String descr, String shape, byte[] data) {
        return npyFile(descr, shape, data, false);
    }

    private static byte[] npyFile(String descr, String shape, byte[] data, boolean fortranOrder) {
        return npyWithHeader(
                1,
                "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': "
                        + shape + ", }\n",
                data);
    }

    /** NumPy's format: magic, version, header length (2 bytes in 1.0, else 4), a Python dict literal, the data. */
    private static byte[] npyWithHeader(int version, String header, byte[] data) {
        int lengthField = version == 1 ? 2 : 4;
        ByteBuffer file = ByteBuffer.allocate(8 + lengthField + header.length() + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            file.putShort((short) header.length());
        } else {
            file.putInt(header.length());
        }
        return file.put(header.getBytes(StandardCharsets.US_ASCII)).put(data).array();
    }

    private static void assertBadRequest(Request request, String message) {
        HandlerException e = assertThrows(HandlerException.class, () -> DECODER.decode(request, ARENA));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
