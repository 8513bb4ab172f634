package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.HandlerException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private static final Path DIGIT = ReferenceModels.DIR.resolve("digits/images/digit_00_label5.png");
    private static final ImageDecoder DECODER = ImageDecoder.from(Map.of());
    private static final ImageDecoder.SizeCheck ANY = (width, height) -> {};

    /** Every lossless format gives the PNG's own pixels; WebP was written by libwebp's cwebp. */
    @ParameterizedTest
    @ValueSource(strings = {"bmp", "gif", "webp"})
    void losslessFormatsDecodeToTheSamePixels(String format) throws Exception {
        byte[] png = Files.readAllBytes(DIGIT);
        byte[] encoded = format.equals("webp")
                ? Files.readAllBytes(ReferenceModels.DIR.resolve("digits/inputs/digit_00_label5.webp"))
                : encode(ImageIO.read(DIGIT.toFile()), format);
        assertArrayEquals(grey(DECODER.decode(png, true, ANY)), grey(DECODER.decode(encoded, true, ANY)));
    }

    @Test
    void jpegDecodes() throws Exception {
        Pixels image = DECODER.decode(
                Files.readAllBytes(ReferenceModels.DIR.resolve("digits/images/digit_03_label5.jpg")), false, ANY);
        assertEquals(84, image.width());
    }

    /**
     * A body is garbage as soon as its request is done: a stream with a finalizer kept it alive
     * through the next collection, and until the finalizer thread had run (PNG and JPEG alike).
     */
    @ParameterizedTest
    @ValueSource(strings = {"images/digit_00_label5.png", "images/digit_03_label5.jpg"})
    void aDecodedBodyIsFreedByOneCollection(String file) throws Exception {
        ReferenceQueue<byte[]> queue = new ReferenceQueue<>();
        PhantomReference<byte[]> body =
                decodeAndForget(ReferenceModels.DIR.resolve("digits").resolve(file), queue);
        System.gc();
        assertSame(body, queue.remove(5_000), "the body was not freed by a full collection");
    }

    /** One decoder reuses its stream: formats in turn, and a failed decode between, change no pixel. */
    @Test
    void oneDecoderGivesTheSamePixelsWhateverItDecodedBefore() throws Exception {
        byte[] png = Files.readAllBytes(DIGIT);
        byte[] jpeg = Files.readAllBytes(ReferenceModels.DIR.resolve("digits/images/digit_03_label5.jpg"));
        byte[] bmp = encode(ImageIO.read(DIGIT.toFile()), "bmp");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        ImageDecoder reused = ImageDecoder.from(Map.of());
        int[] pngPixels = grey(ImageDecoder.from(Map.of()).decode(png, true, ANY));
        int[] jpegPixels = grey(ImageDecoder.from(Map.of()).decode(jpeg, true, ANY));
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(pngPixels, grey(reused.decode(png, true, ANY)));
            assertArrayEquals(jpegPixels, grey(reused.decode(jpeg, true, ANY)));
            assertArrayEquals(pngPixels, grey(reused.decode(bmp, true, ANY)));
            assertThrows(HandlerException.class, () -> reused.decode(truncated, true, ANY));
        }
    }

    /**
     * JPEGs are decoded into the last JPEG's image when it has their size and type, colour ones
     * into RGB order: each still gives ImageIO's own pixels, in colour and gray, whatever came
     * before.
     */
    @Test
    void jpegsOfOneSizeInTurnGiveTheirOwnPixels() throws Exception {
        byte[] photo = Files.readAllBytes(ReferenceModels.DIR.resolve("digits/images/digit_03_label5.jpg"));
        BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(photo));
        BufferedImage inverted = new BufferedImage(84, 84, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage gray = new BufferedImage(84, 84, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 84; y++) {
            for (int x = 0; x < 84; x++) {
                inverted.setRGB(x, y, ~decoded.getRGB(x, y));
                gray.getRaster().setSample(x, y, 0, (x * y) & 0xff);
            }
        }
        List<byte[]> jpegs = List.of(photo, encode(inverted, "jpeg"), encode(gray, "jpeg"));
        // ImageIO's own image (BGR, and gray), read sample by sample: the decoder's RGB-ordered one must match it.
        List<byte[][]> expected = new java.util.ArrayList<>();
        for (byte[] jpeg : jpegs) {
            expected.add(Pixels.of(ImageIO.read(new java.io.ByteArrayInputStream(jpeg)), false)
                    .planes());
        }
        ImageDecoder reused = ImageDecoder.from(Map.of());
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < jpegs.size(); i++) {
                assertArrayEquals(
                        expected.get(i), reused.decode(jpegs.get(i), false, ANY).planes(), "jpeg " + i);
                assertArrayEquals(
                        expected.get(i), reused.decode(jpegs.get(i), false, ANY).planes(), "again " + i);
            }
        }
        assertTrue(!Arrays.deepEquals(expected.get(0), expected.get(1)), "the two photos differ");
    }

    private static PhantomReference<byte[]> decodeAndForget(Path file, ReferenceQueue<byte[]> queue) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        DECODER.decode(bytes, true, ANY);
        return new PhantomReference<>(bytes, queue);
    }

    @Test
    void emptyCorruptAndUnknownBodiesAreBadRequests() throws Exception {
        byte[] png = Files.readAllBytes(DIGIT);
        assertBadRequest(new byte[0], "empty");
        assertBadRequest("hello".getBytes(), "not an image");
        byte[] corrupt = png.clone();
        Arrays.fill(corrupt, 40, corrupt.length - 12, (byte) 0x5a);
        assertBadRequest(corrupt, "cannot be decoded");
    }

    @ParameterizedTest
    @ValueSource(strings = {"images/digit_00_label5.png", "images/digit_03_label5.jpg"})
    void truncatedImagesAreBadRequests(String file) throws Exception {
        byte[] image = Files.readAllBytes(ReferenceModels.DIR.resolve("digits").resolve(file));
        assertBadRequest(Arrays.copyOf(image, image.length * 2 / 3), "cannot be decoded");
    }

    @Test
    void imagesOverThePixelLimitAreRefusedBeforeDecoding() throws Exception {
        ImageDecoder small = ImageDecoder.from(Map.of(ImageDecoder.LIMIT_PROPERTY, "783"));
        HandlerException e =
                assertThrows(HandlerException.class, () -> small.decode(Files.readAllBytes(DIGIT), true, ANY));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("784 pixels, more than the limit of 783"), e.getMessage());
        assertEquals(
                28,
                ImageDecoder.from(Map.of(ImageDecoder.LIMIT_PROPERTY, "784"))
                        .decode(Files.readAllBytes(DIGIT), true, ANY)
                        .width());
    }

    @Test
    void theLimitIsTorchServesBooleanOrACount() {
        assertThrows(
                IllegalArgumentException.class, () -> ImageDecoder.from(Map.of(ImageDecoder.LIMIT_PROPERTY, "lots")));
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.from(Map.of(ImageDecoder.LIMIT_PROPERTY, "0")));
        ImageDecoder.from(Map.of(ImageDecoder.LIMIT_PROPERTY, "false"));
    }

    private static void assertBadRequest(byte[] body, String message) {
        HandlerException e = assertThrows(HandlerException.class, () -> DECODER.decode(body, true, ANY));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static byte[] encode(BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    private static int[] grey(Pixels image) {
        return Samples.of(image.planes()[0]);
    }
}
