package dev.serval.handlers.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * An image as Pillow holds it after {@code convert("L")} or {@code convert("RGB")}: 8-bit planes,
 * one per channel, row-major. Samples are bytes, read unsigned ({@code & 0xff}): ints took four
 * times the memory, 28 KB a plane for an 84 × 84 photo, for every request.
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param planes one array of {@code width × height} samples (0–255, unsigned) per channel
 */
record Pixels(int width, int height, byte[][] planes) {

    /**
     * @param image a decoded image
     * @param grayscale one luminance channel (Pillow's {@code L}) instead of three
     * @return its pixels
     */
    static Pixels of(BufferedImage image, boolean grayscale) {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        if (inRgbOrder(image)) {
            PixelInterleavedSampleModel layout = (PixelInterleavedSampleModel) raster.getSampleModel();
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            return ofInterleaved(data, w, h, 0, layout.getScanlineStride(), layout.getPixelStride(), grayscale);
        }
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            return ofGray((byte[]) raster.getDataElements(0, 0, w, h, null), w, h, grayscale);
        }
        Planes planes = new Planes(w, h, grayscale);
        if (type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB) {
            // Samples straight from the raster: getRGB would pass gray images through a
            // colour-space conversion that Pillow does not do.
            int[] row = new int[3 * w];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    planes.set(i, row[3 * x], row[3 * x + 1], row[3 * x + 2]);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, i = y * w; x < w; x++, i++) {
                    planes.set(i, (row[x] >> 16) & 0xff, (row[x] >> 8) & 0xff, row[x] & 0xff);
                }
            }
        }
        return planes.pixels();
    }

    /**
     * @return whether its samples are bytes, red, green and blue first in each pixel (one image
     *     buffer, not a part of another), as {@link #ofInterleaved} reads them
     */
    private static boolean inRgbOrder(BufferedImage image) {
        Raster raster = image.getRaster();
        return image.getColorModel().getColorSpace().isCS_sRGB()
                && !image.getColorModel().isAlphaPremultiplied()
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1
                && buffer.getOffset() == 0
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && layout.getNumBands() >= 3
                && layout.getBandOffsets()[0] == 0
                && layout.getBandOffsets()[1] == 1
                && layout.getBandOffsets()[2] == 2;
    }

    /**
     * @param data 8-bit samples, red, green and blue first in each pixel (any further one, alpha,
     *     is dropped, as Pillow's {@code convert} drops it)
     * @param w width in pixels
     * @param h height in pixels
     * @param offset where the first pixel starts
     * @param rowStride bytes from one row's start to the next's
     * @param pixelStride bytes from one pixel's start to the next's
     * @param grayscale one luminance channel instead of three
     * @return its pixels
     */
    static Pixels ofInterleaved(
            byte[] data, int w, int h, int offset, int rowStride, int pixelStride, boolean grayscale) {
        Planes planes = new Planes(w, h, grayscale);
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0, at = offset + y * rowStride; x < w; x++, i++, at += pixelStride) {
                planes.set(i, data[at] & 0xff, data[at + 1] & 0xff, data[at + 2] & 0xff);
            }
        }
        return planes.pixels();
    }

    /**
     * @param gray 8-bit samples, row-major, {@code w × h}, kept as the plane(s)
     * @param w width in pixels
     * @param h height in pixels
     * @param grayscale one plane instead of three, which Pillow's {@code convert("RGB")} makes equal
     * @return its pixels
     */
    static Pixels ofGray(byte[] gray, int w, int h, boolean grayscale) {
        return new Pixels(w, h, grayscale ? new byte[][] {gray} : new byte[][] {gray, gray, gray});
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
        byte[][] resized = new byte[planes.length][];
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
        byte[][] cropped = new byte[planes.length][cropWidth * cropHeight];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(planes[c], (top + y) * width + left, cropped[c], y * cropWidth, cropWidth);
            }
        }
        return new Pixels(cropWidth, cropHeight, cropped);
    }

    /**
     * The planes of an image being read, from colour samples: three, or one of their luminance,
     * computed as the samples come, so that the three planes it would come from are never made.
     */
    static final class Planes {

        private final int width;
        private final int height;
        private final byte[][] planes;

        /**
         * @param width width in pixels
         * @param height height in pixels
         * @param grayscale one luminance plane instead of three
         */
        Planes(int width, int height, boolean grayscale) {
            this.width = width;
            this.height = height;
            int size = width * height;
            planes = grayscale
                    ? new byte[][] {new byte[size]}
                    : new byte[][] {new byte[size], new byte[size], new byte[size]};
        }

        /** Sets pixel {@code i} from its red, green and blue samples (0–255). */
        void set(int i, int r, int g, int b) {
            if (planes.length == 1) {
                planes[0][i] = (byte) luma(r, g, b);
            } else {
                planes[0][i] = (byte) r;
                planes[1][i] = (byte) g;
                planes[2][i] = (byte) b;
            }
        }

        /** @return the image these planes make */
        Pixels pixels() {
            return new Pixels(width, height, planes);
        }
    }
}
