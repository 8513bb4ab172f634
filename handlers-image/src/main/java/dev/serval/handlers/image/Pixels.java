package dev.serval.handlers.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * An image as Pillow holds it after {@code convert("L")} or {@code convert("RGB")}: 8-bit planes,
 * one per channel, row-major.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param planes one array of {@code width × height} samples (0–255) per channel
 */
record Pixels(int width, int height, int[][] planes) {

    /**
     * @param image a decoded image
     * @param grayscale one luminance channel (Pillow's {@code L}) instead of three
     * @return its pixels
     */
    static Pixels of(BufferedImage image, boolean grayscale) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] planes = grayscale ? new int[][] {luminance(image, w, h)} : rgbPlanes(image, w, h);
        return new Pixels(w, h, planes);
    }

    /**
     * Reads samples straight from the raster where the layout allows: {@code getRGB} would pass
     * gray images through a colour-space conversion that Pillow does not do.
     */
    private static int[][] rgbPlanes(BufferedImage image, int w, int h) {
        Raster raster = image.getRaster();
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            int[] gray = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            return new int[][] {gray, gray, gray};
        }
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            return new int[][] {
                raster.getSamples(0, 0, w, h, 0, (int[]) null),
                raster.getSamples(0, 0, w, h, 1, (int[]) null),
                raster.getSamples(0, 0, w, h, 2, (int[]) null)
            };
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        int[][] planes = new int[3][argb.length];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xff;
            planes[1][i] = (argb[i] >> 8) & 0xff;
            planes[2][i] = argb[i] & 0xff;
        }
        return planes;
    }

    /**
     * Pillow's {@code convert("L")}, read from the same samples as {@link #rgbPlanes} but in one
     * pass, a row at a time: the three planes it would go through are three times the image's
     * size in ints (85 KB for an 84 × 84 photo), for every request.
     */
    private static int[] luminance(BufferedImage image, int w, int h) {
        Raster raster = image.getRaster();
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            return raster.getSamples(0, 0, w, h, 0, (int[]) null);
        }
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            int[] l = new int[w * h];
            int[] row = new int[3 * w];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    l[i] = luma(row[3 * x], row[3 * x + 1], row[3 * x + 2]);
                }
            }
            return l;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            argb[i] = luma((argb[i] >> 16) & 0xff, (argb[i] >> 8) & 0xff, argb[i] & 0xff);
        }
        return argb;
    }

    /** Pillow's RGB → L: ITU-R 601-2 luma in 16-bit fixed point, rounded. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** @return the image resized with Pillow's bilinear filter */
    Pixels resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        int[][] resized = new int[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            resized[c] = PilResize.resize(planes[c], width, height, newWidth, newHeight);
        }
        return new Pixels(newWidth, newHeight, resized);
    }

    /** @return the centre {@code cropWidth × cropHeight}, placed as torchvision's {@code CenterCrop} */
    Pixels centerCrop(int cropWidth, int cropHeight) {
        if (cropWidth > width || cropHeight > height) {
            return this; // torchvision pads instead; no Serval default needs it
        }
        // Python's round() rounds halves to even, and so does rint.
        int top = (int) Math.rint((height - cropHeight) / 2.0);
        int left = (int) Math.rint((width - cropWidth) / 2.0);
        int[][] cropped = new int[planes.length][cropWidth * cropHeight];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(planes[c], (top + y) * width + left, cropped[c], y * cropWidth, cropWidth);
            }
        }
        return new Pixels(cropWidth, cropHeight, cropped);
    }
}
