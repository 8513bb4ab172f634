package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PixelsTest {

    @Test
    void grayscaleIsPillowsLumaOfTheRgbPlanesForEveryLayout() {
        Random random = new Random(7);
        for (int type : new int[] {
            BufferedImage.TYPE_3BYTE_BGR,
            BufferedImage.TYPE_INT_RGB,
            BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_BYTE_GRAY
        }) {
            BufferedImage image = new BufferedImage(13, 7, type);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, 0xff000000 | random.nextInt(0x1000000));
                }
            }
            int[][] rgb = Pixels.of(image, false).planes();
            int[] expected = new int[rgb[0].length];
            for (int i = 0; i < expected.length; i++) {
                // Pillow's convert("L"): ITU-R 601-2 luma in 16-bit fixed point, rounded.
                expected[i] = (rgb[0][i] * 19595 + rgb[1][i] * 38470 + rgb[2][i] * 7471 + 0x8000) >> 16;
            }

            Pixels gray = Pixels.of(image, true);

            assertEquals(1, gray.planes().length, "type " + type);
            assertArrayEquals(expected, gray.planes()[0], "type " + type);
        }
    }
}
