package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PngReaderTest {

    private static final int GRAY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int GRAY_ALPHA = 4;
    private static final int RGBA = 6;

    private final PngReader reader = new PngReader();

    /** Every filter on every row, each colour type ImageIO reads as Pillow does: the same planes as ImageIO's. */
    @ParameterizedTest
    @CsvSource({"0", "2", "3", "6"})
    void everyFilterGivesImageIosPixels(int colorType) throws Exception {
        Random random = new Random(colorType);
        int width = 13;
        int height = 7;
        byte[] samples = new byte[width * height * PngFile.channels(colorType)];
        random.nextBytes(samples);
        byte[] palette = null;
        if (colorType == PALETTE) {
            palette = new byte[3 * 256];
            random.nextBytes(palette);
        }
        for (int filter = 0; filter <= 4; filter++) {
            byte[] png = PngFile.of(width, height, colorType, samples, filter, palette);
            for (boolean grayscale : new boolean[] {true, false}) {
                Pixels expected = Pixels.of(ImageIO.read(new ByteArrayInputStream(png)), grayscale);
                Pixels actual = read(png, grayscale);
                assertEquals(expected.planes().length, actual.planes().length);
                for (int c = 0; c < expected.planes().length; c++) {
                    assertArrayEquals(
                            expected.planes()[c],
                            actual.planes()[c],
                            "colour type " + colorType + ", filter " + filter + ", channel " + c);
                }
            }
        }
    }

    /** Pillow's LA → L and LA → RGB take the gray sample and drop alpha (ImageIO's getRGB would gamma-convert it). */
    @Test
    void grayWithAlphaKeepsTheGraySamples() throws Exception {
        byte[] png = PngFile.of(3, 1, GRAY_ALPHA, new byte[] {10, 0, (byte) 200, 127, 77, (byte) 255}, 4, null);
        assertArrayEquals(new int[] {10, 200, 77}, Samples.of(read(png, true).planes()[0]));
        Pixels rgb = read(png, false);
        for (byte[] plane : rgb.planes()) {
            assertArrayEquals(new int[] {10, 200, 77}, Samples.of(plane));
        }
    }

    /** Palette entries a short PLTE leaves out are black, as in Pillow; luminance from the entry's colour. */
    @Test
    void aShortPaletteMapsTheRestToBlack() throws Exception {
        byte[] png = PngFile.of(2, 1, PALETTE, new byte[] {0, 5}, 0, new byte[] {(byte) 255, 0, 0});
        Pixels rgb = read(png, false);
        assertArrayEquals(new int[] {255, 0}, Samples.of(rgb.planes()[0]));
        assertArrayEquals(new int[] {0, 0}, Samples.of(rgb.planes()[1]));
        assertArrayEquals(
                new int[] {Pixels.luma(255, 0, 0), 0},
                Samples.of(read(png, true).planes()[0]));
    }

    /** Image data split into one-byte chunks, between chunks this reader skips, and after the pixels anything. */
    @Test
    void imageDataSplitAcrossChunksAndOtherChunksBetween() throws Exception {
        byte[] samples = new byte[28 * 28];
        new Random(1).nextBytes(samples);
        byte[] deflated = PngFile.deflate(PngFile.filtered(samples, 28, 28, 1, 4));
        PngFile png =
                new PngFile().header(28, 28, 8, GRAY, 0).chunk("gAMA", new byte[] {0, 0, (byte) 0xb1, (byte) 0x8f});
        for (int i = 0; i < deflated.length; i++) {
            png.chunk("IDAT", new byte[] {deflated[i]});
            if (i % 7 == 0) {
                png.chunk("tEXt", "Comment\0x".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        png.raw("whatever follows".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(samples, read(png.bytes(), true).planes()[0]);
    }

    /** One reader keeps its buffer: a large image then a small one, and a failure between, change no pixel. */
    @Test
    void oneReaderGivesTheSamePixelsWhateverItReadBefore() throws Exception {
        byte[] digit = Files.readAllBytes(ReferenceModels.DIR.resolve("digits/images/digit_00_label5.png"));
        byte[] scene = Files.readAllBytes(ReferenceModels.DIR.resolve("shapes_segmenter/images/scene_09.png"));
        byte[] digitPixels =
                new PngReader().read(digit, PngReader.header(digit), true).planes()[0];
        byte[][] scenePixels =
                new PngReader().read(scene, PngReader.header(scene), false).planes();
        byte[] truncated = Arrays.copyOf(scene, scene.length / 2);
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(scenePixels, read(scene, false).planes());
            assertThrows(IOException.class, () -> read(truncated, false));
            assertArrayEquals(digitPixels, read(digit, true).planes()[0]);
        }
    }

    /** What this reader does not decode ImageIO does: fewer or more bits a sample, interlacing, non-PNGs. */
    @Test
    void theHeaderLeavesOtherPngsToImageIo() throws Exception {
        assertNull(PngReader.header(new PngFile().header(4, 4, 16, GRAY, 0).bytes()));
        assertNull(PngReader.header(new PngFile().header(4, 4, 1, GRAY, 0).bytes()));
        assertNull(PngReader.header(new PngFile().header(4, 4, 8, RGB, 1).bytes()));
        assertNull(PngReader.header(new PngFile().header(4, 4, 8, 5, 0).bytes()));
        assertNull(PngReader.header(new PngFile().header(0, 4, 8, GRAY, 0).bytes()));
        assertNull(PngReader.header(new PngFile().header(-1, 4, 8, GRAY, 0).bytes()));
        assertNull(PngReader.header(
                new PngFile().header(1 << 16, 1 << 16, 8, RGBA, 0).bytes()));
        assertNull(PngReader.header("GIF89a and more bytes than a header".getBytes()));
        assertNotNull(PngReader.header(
                new PngFile().header(1 << 14, 1 << 14, 8, RGBA, 0).bytes()));
    }

    @Test
    void aWrongHeaderCrcIsRefused() {
        byte[] png = PngFile.of(1, 1, GRAY, new byte[] {1}, 0, null);
        png[29]++;
        IOException e = assertThrows(IOException.class, () -> PngReader.header(png));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    /** A file that ends before its pixels, at any byte, is refused with an IOException and nothing else. */
    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] png = Files.readAllBytes(ReferenceModels.DIR.resolve("shapes_segmenter/images/scene_00.png"));
        int pixelsEnd = png.length - 12; // IEND
        for (int length = 33; length < pixelsEnd - 4; length++) {
            byte[] truncated = Arrays.copyOf(png, length);
            assertThrows(IOException.class, () -> read(truncated, false), "truncated to " + length);
        }
    }

    /** A header that claims 1 × 1 over data that inflates to 10 MB: inflation stops at the one pixel's bytes. */
    @Test
    void dataPastTheImageIsNotInflated() throws Exception {
        byte[] bomb = PngFile.deflate(new byte[10 << 20]);
        byte[] png = new PngFile().header(1, 1, 8, GRAY, 0).chunk("IDAT", bomb).bytes();
        assertArrayEquals(new int[] {0}, Samples.of(read(png, true).planes()[0]));
    }

    @Test
    void hostileChunksAreRefused() {
        byte[] oneRow = PngFile.deflate(new byte[] {0, 1, 2});
        for (int length : new int[] {0x7fff_ffff, -16}) {
            // A chunk that claims more bytes than the file has, or a negative count (over 2^31 unsigned).
            byte[] lying =
                    ByteBuffer.allocate(8).putInt(length).put("IDAT".getBytes()).array();
            assertRefused(twoPixels(GRAY).raw(lying).bytes(), "truncated");
        }
        assertRefused(twoPixels(GRAY).chunk("IEND", new byte[0]).bytes(), "truncated");
        assertRefused(
                twoPixels(GRAY)
                        .chunk("IDAT", PngFile.deflate(new byte[] {0, 1}))
                        .chunk("IEND", new byte[0])
                        .bytes(),
                "ends after 2 of 3");
        assertRefused(
                twoPixels(GRAY)
                        .chunk("IDAT", PngFile.deflate(new byte[] {5, 1, 2}))
                        .bytes(),
                "unknown filter type 5");
        assertRefused(twoPixels(GRAY).chunk("IDAT", new byte[] {1, 2, 3, 4}).bytes(), "corrupt");
        assertRefused(twoPixels(PALETTE).chunk("IDAT", oneRow).bytes(), "no palette");
        assertRefused(
                twoPixels(PALETTE)
                        .chunk("PLTE", new byte[4])
                        .chunk("IDAT", oneRow)
                        .bytes(),
                "palette has 4 bytes");
        byte[] badPalette = twoPixels(PALETTE)
                .chunk("PLTE", new byte[3])
                .chunk("IDAT", oneRow)
                .bytes();
        badPalette[33 + 8]++;
        assertRefused(badPalette, "CRC in its PLTE");
    }

    /** Random damage to a real file gives pixels or an IOException: never another exception, never a hang. */
    @Test
    void damagedFilesFailCleanly() throws Exception {
        byte[] png = Files.readAllBytes(ReferenceModels.DIR.resolve("shapes_segmenter/images/scene_00.png"));
        Random random = new Random(23);
        for (int round = 0; round < 3_000; round++) {
            byte[] damaged = png.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[33 + random.nextInt(damaged.length - 33)] = (byte) random.nextInt(256);
            }
            try {
                read(damaged, round % 2 == 0);
            } catch (IOException e) {
                assertNotNull(e.getMessage());
            }
        }
    }

    /** The header of a 2 × 1 image, 8 bits a sample, not interlaced: the hostile files' start. */
    private static PngFile twoPixels(int colorType) {
        return new PngFile().header(2, 1, 8, colorType, 0);
    }

    private void assertRefused(byte[] png, String message) {
        IOException e = assertThrows(IOException.class, () -> read(png, true));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private Pixels read(byte[] png, boolean grayscale) throws IOException {
        PngReader.Header header = PngReader.header(png);
        assertNotNull(header, "a PNG this reader takes");
        return reader.read(png, header, grayscale);
    }
}
