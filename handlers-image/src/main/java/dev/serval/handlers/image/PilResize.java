package dev.serval.handlers.image;

/**
 * Bilinear resizing exactly as Pillow does it for 8-bit images ({@code Image.resize(...,
 * BILINEAR)}), which is what torchvision's {@code Resize} runs on PIL images.
 *
 * <p>Pillow's bilinear filter widens with the scale factor when shrinking (an antialiased
 * "triangle" filter), and works in fixed point with rounding to 8 bits after each pass. DJL's
 * {@code Resize} samples without antialiasing; on the 84×84 digit JPEGs that alone moves
 * probabilities by 0.09, so the server reproduces Pillow instead.
 */
final class PilResize {

    /** Pillow's {@code PRECISION_BITS} for 8-bit resampling: 32 - 8 - 2. */
    private static final int PRECISION_BITS = 22;

    /**
     * The filters of recent (source, target) sizes: a model resizes most images between the same
     * sizes, and computing the filter anew took more than the resize itself (13 KB and most of the
     * 55 µs of an 84 → 28 digit).
     */
    private static final Recent<Coefficients> RECENT = new Recent<>(16);

    private PilResize() {}

    /**
     * @param plane 8-bit samples (unsigned), row-major, {@code width × height}
     * @param width source width
     * @param height source height
     * @param newWidth target width
     * @param newHeight target height
     * @return the resized plane, row-major, {@code newWidth × newHeight}
     */
    static byte[] resize(byte[] plane, int width, int height, int newWidth, int newHeight) {
        byte[] out = plane;
        int w = width;
        if (newWidth != width) {
            out = pass(out, w, height, newWidth, true);
            w = newWidth;
        }
        if (newHeight != height) {
            out = pass(out, w, height, newHeight, false);
        }
        return out;
    }

    /** One separable pass along x ({@code horizontal}) or y. */
    private static byte[] pass(byte[] in, int width, int height, int outSize, boolean horizontal) {
        int inSize = horizontal ? width : height;
        Coefficients c = coefficients(inSize, outSize);
        int outWidth = horizontal ? outSize : width;
        int outHeight = horizontal ? height : outSize;
        byte[] out = new byte[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int o = horizontal ? x : y;
                long sum = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < c.count[o]; k++) {
                    int src = c.start[o] + k;
                    int sample = (horizontal ? in[y * width + src] : in[src * width + x]) & 0xff;
                    sum += (long) sample * c.weights[o][k];
                }
                out[y * outWidth + x] = (byte) clip8(sum >> PRECISION_BITS);
            }
        }
        return out;
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        return RECENT.get(
                inSize * 31 + outSize,
                recent -> recent.inSize == inSize && recent.outSize == outSize,
                () -> Coefficients.of(inSize, outSize));
    }

    private static int clip8(long value) {
        return (int) Math.max(0, Math.min(255, value));
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc}. */
    private record Coefficients(int inSize, int outSize, int[] start, int[] count, int[][] weights) {

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale; // the bilinear filter's support is 1
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[][] weights = new int[outSize][];
            for (int x = 0; x < outSize; x++) {
                double center = (x + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double[] k = new double[max];
                double total = 0;
                for (int i = 0; i < max; i++) {
                    k[i] = triangle((i + min - center + 0.5) / filterScale);
                    total += k[i];
                }
                weights[x] = new int[max];
                for (int i = 0; i < max; i++) {
                    double w = total == 0 ? 0 : k[i] / total;
                    weights[x][i] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                start[x] = min;
                count[x] = max;
            }
            return new Coefficients(inSize, outSize, start, count, weights);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    }
}
