package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PilResizeTest {

    @Test
    void sameSizeIsUntouched() {
        byte[] plane = Samples.plane(1, 2, 3, 4);
        assertArrayEquals(plane, PilResize.resize(plane, 2, 2, 2, 2));
    }

    @Test
    void constantImageStaysConstantWhenShrunk() {
        byte[] plane = new byte[84 * 84];
        Arrays.fill(plane, (byte) 137);
        byte[] resized = PilResize.resize(plane, 84, 84, 28, 28);
        byte[] expected = new byte[28 * 28];
        Arrays.fill(expected, (byte) 137);
        assertArrayEquals(expected, resized);
    }

    /**
     * Halving 4 pixels: Pillow's triangle filter is widened to a support of 2 source pixels, so
     * output 0 (centre 1.0) weighs pixels 0, 1, 2 by 0.75, 0.75, 0.25 (normalised: 3/7, 3/7, 1/7),
     * and output 1 (centre 3.0) weighs pixels 1, 2, 3 by 1/7, 3/7, 3/7. Without antialiasing
     * (DJL's Resize) the answer would be the plain average of two neighbours: 50 and 228.
     */
    @Test
    void shrinkingIsAntialiasedAsPillowDoes() {
        byte[] line = Samples.plane(0, 100, 200, 255);
        // 0·3/7 + 100·3/7 + 200·1/7 = 71.43; 100·1/7 + 200·3/7 + 255·3/7 = 209.29
        assertArrayEquals(new int[] {71, 209}, Samples.of(PilResize.resize(line, 4, 1, 2, 1)));
        assertArrayEquals(new int[] {71, 209}, Samples.of(PilResize.resize(line, 1, 4, 1, 2)));
    }
}
