package dev.serval.handlers.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PilResizeTest {

    @Test
    void sameSizeIsUntouched() {
        int[] plane = {1, 2, 3, 4};
        assertArrayEquals(plane, PilResize.resize(plane, 2, 2, 2, 2));
    }

    @Test
    void constantImageStaysConstantWhenShrunk() {
        int[] plane = new int[84 * 84];
        Arrays.fill(plane, 137);
        int[] resized = PilResize.resize(plane, 84, 84, 28, 28);
        int[] expected = new int[28 * 28];
        Arrays.fill(expected, 137);
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
        int[] row = {0, 100, 200, 255};
        // 0·3/7 + 100·3/7 + 200·1/7 = 71.43; 100·1/7 + 200·3/7 + 255·3/7 = 209.29
        assertArrayEquals(new int[] {71, 209}, PilResize.resize(row, 4, 1, 2, 1));
        int[] column = {0, 100, 200, 255};
        assertArrayEquals(new int[] {71, 209}, PilResize.resize(column, 1, 4, 1, 2));
    }
}
