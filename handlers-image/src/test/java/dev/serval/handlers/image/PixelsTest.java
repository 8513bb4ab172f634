package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelsTest {

    /** The JDK's colour layouts, and RGB and RGBA bytes in that order (read in place). */
    private static List<BufferedImage> colourImages(int width, int height) {
        List<BufferedImage> images = new ArrayList<>();
        for (int type :
                new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
            images.add(new BufferedImage(width, height, type));
        }
        for (int bands = 3; bands <= 4; bands++) {
            int[] offsets = bands == 3 ? new int[] {0, 1, 2} : new int[] {0, 1, 2, 3};
            ComponentColorModel model = new ComponentColorModel(
                    ColorSpace.getInstance(ColorSpace.CS_sRGB),
                    bands == 4,
                    false,
                    bands == 4 ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                    DataBuffer.TYPE_BYTE);
            images.add(new BufferedImage(
                    model,
                    Raster.createInterleavedRaster(
                            DataBuffer.TYPE_BYTE, width, height, bands * width, bands, offsets, null),
                    false,
                    null));
        }
        return images;
    }

    @Test
    void colourPlanesAreTheImagesSamplesForEveryLayout() {
        Random random = new Random(3);
        for (BufferedImage image : colourImages(13, 7)) {
            int[] argb = new int[13 * 7];
            for (int i = 0; i < argb.length; i++) {
                argb[i] = 0xff000000 | random.nextInt(0x1000000);
            }
            image.setRGB(0, 0, 13, 7, argb, 0, 13);

            byte[][] planes = Pixels.of(image, false).planes();

            for (int i = 0; i < argb.length; i++) {
                assertEquals((argb[i] >> 16) & 0xff, planes[0][i] & 0xff, image + " red " + i);
                assertEquals((argb[i] >> 8) & 0xff, planes[1][i] & 0xff, image + " green " + i);
                assertEquals(argb[i] & 0xff, planes[2][i] & 0xff, image + " blue " + i);
            }
        }
    }

    @Test
    void grayscaleIsPillowsLumaOfTheRgbPlanesForEveryLayout() {
        Random random = new Random(7);
        List<BufferedImage> images = colourImages(13, 7);
        images.add(new BufferedImage(13, 7, BufferedImage.TYPE_BYTE_GRAY));
        for (BufferedImage image : images) {
            int type = image.getType();
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, 0xff000000 | random.nextInt(0x1000000));
                }
            }
            byte[][] planes = Pixels.of(image, false).planes();
            int[][] rgb = {Samples.of(planes[0]), Samples.of(planes[1]), Samples.of(planes[2])};
            int[] expected = new int[rgb[0].length];
            for (int i = 0; i < expected.length; i++) {
                // Pillow's convert("L"): ITU-R 601-2 luma in 16-bit fixed point, rounded.
                expected[i] = (rgb[0][i] * 19595 + rgb[1][i] * 38470 + rgb[2][i] * 7471 + 0x8000) >> 16;
            }

            Pixels gray = Pixels.of(image, true);

            assertEquals(1, gray.planes().length, "type " + type);
            assertArrayEquals(expected, Samples.of(gray.planes()[0]), "type " + type);
        }
    }
}
