package dev.serval.handlers.image;

import java.nio.FloatBuffer;

/**
 * {@link Pixels}' byte samples as the ints (0–255) that tests spell them in, and back; and an
 * {@link InputTensor}'s values as an array.
 */
final class Samples {

    private Samples() {}

    /** @return the plane's samples, unsigned */
    static int[] of(byte[] plane) {
        int[] samples = new int[plane.length];
        for (int i = 0; i < plane.length; i++) {
            samples[i] = plane[i] & 0xff;
        }
        return samples;
    }

    /** @return a plane of these samples (0–255) */
    static byte[] plane(int... samples) {
        byte[] plane = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            plane[i] = (byte) samples[i];
        }
        return plane;
    }

    /** @return the tensor's values */
    static float[] values(InputTensor tensor) {
        FloatBuffer floats = tensor.floats();
        float[] values = new float[floats.remaining()];
        floats.get(values);
        return values;
    }
}
