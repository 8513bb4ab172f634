package dev.serval.examples.digits;

import dev.serval.sdk.HandlerException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A request's image as the model sees it: grey and 28×28. */
final class Digit {

    static final int SIZE = 28;
    static final int PIXELS = SIZE * SIZE;

    private final BufferedImage image;

    private Digit(BufferedImage image) {
        this.image = image;
    }

    /**
     * @param body a PNG, JPEG, GIF or BMP image
     * @return the image, grey and 28×28
     * @throws HandlerException 400 when the body is not an image
     */
    static Digit read(byte[] body) throws HandlerException {
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw HandlerException.badRequest("The body is not a readable image: " + e.getMessage(), e);
        }
        if (decoded == null) {
            throw HandlerException.badRequest("The body is not an image (PNG, JPEG, GIF or BMP)");
        }
        return new Digit(shrink(luminance(decoded), decoded.getWidth(), decoded.getHeight()));
    }

    /** PIL's {@code convert("L")}: ITU-R 601-2 luma, on the stored (not linearised) values. */
    private static float[] luminance(BufferedImage image) {
        int width = image.getWidth();
        float[] grey = new float[width * image.getHeight()];
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // getRGB would pass grey through a linear colour space and brighten it.
            return image.getRaster().getPixels(0, 0, width, image.getHeight(), grey);
        }
        int[] argb = image.getRGB(0, 0, width, image.getHeight(), null, 0, width);
        for (int i = 0; i < grey.length; i++) {
            int p = argb[i];
            grey[i] = ((p >> 16 & 0xFF) * 299 + (p >> 8 & 0xFF) * 587 + (p & 0xFF) * 114) / 1000f;
        }
        return grey;
    }

    /**
     * Shrinks to 28×28 by area averaging: each pixel is the mean of the source area it covers, so
     * thin strokes are blended in rather than skipped. (Java2D's own scaling would also convert
     * grey through a linear colour space and darken the strokes.)
     */
    private static BufferedImage shrink(float[] grey, int width, int height) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        double sx = (double) width / SIZE;
        double sy = (double) height / SIZE;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double sum = 0;
                double area = 0;
                for (int j = (int) (y * sy); j < Math.min(height, Math.ceil((y + 1) * sy)); j++) {
                    double h = Math.min(j + 1, (y + 1) * sy) - Math.max(j, y * sy);
                    for (int i = (int) (x * sx); i < Math.min(width, Math.ceil((x + 1) * sx)); i++) {
                        double w = (Math.min(i + 1, (x + 1) * sx) - Math.max(i, x * sx)) * h;
                        sum += grey[j * width + i] * w;
                        area += w;
                    }
                }
                image.getRaster().setSample(x, y, 0, (int) Math.round(sum / area));
            }
        }
        return image;
    }

    /** Writes {@code (pixel / 255 - mean) / std} for each pixel, row by row, from {@code offset}. */
    void normalize(float mean, float std, float[] target, int offset) {
        int[] pixels = image.getRaster().getPixels(0, 0, SIZE, SIZE, (int[]) null);
        for (int i = 0; i < PIXELS; i++) {
            target[offset + i] = (pixels[i] / 255f - mean) / std;
        }
    }

    /** @return the 28×28 image as a PNG */
    byte[] png() {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding cannot fail in memory", e);
        }
        return png.toByteArray();
    }
}
