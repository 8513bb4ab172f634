package dev.serval.handlers.image;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import dev.serval.sdk.HandlerException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG (most with {@link PngReader}, the rest with ImageIO), JPEG, BMP and GIF (the JDK's
 * ImageIO readers) and WebP (TwelveMonkeys) into {@link Pixels}, refusing images larger than a
 * pixel limit before their pixels are decoded.
 *
 * <p>The WebP reader is used through its SPI directly, never registered in ImageIO's JVM-global
 * registry: a registration would keep this bundle's class loader alive after a redeploy.
 */
final class ImageDecoder {

    /** TorchServe's system property: {@code true} (Pillow's limit), {@code false} (none) or a pixel count. */
    static final String LIMIT_PROPERTY = "limit_max_image_pixels";
    /** Pillow's {@code Image.MAX_IMAGE_PIXELS}, which TorchServe keeps unless the property is false. */
    static final long PILLOW_MAX_IMAGE_PIXELS = 89_478_485L;

    private static final ImageReaderSpi WEBP = new WebPImageReaderSpi();
    /** The largest JPEG image kept for the next decode: 512 × 512, 768 KB in RGB. */
    private static final long KEPT_PIXELS = 512 * 512;

    private final long maxPixels;
    private final KnownFormats knownFormats = new KnownFormats();
    private final PngReader png = new PngReader();
    /**
     * The stream of the last decode that succeeded, for the next: a new one allocates 8 KB, an
     * eighth of what a request for a small PNG allocates. One whose decode failed is dropped, as
     * it may have left marks on its stack. A decoder is used from one thread at a time: each
     * handler instance makes its own, and only its worker calls it.
     */
    private InPlaceImageInputStream spare;
    /**
     * The JPEG reader, kept between decodes as long as they succeed, and the image of its last
     * decode, which the next one of the same size and type is decoded into: a new reader and a new
     * raster were half of what an 84 × 84 photo allocated (49 KB of ImageIO's 78 KB with its
     * planes). JPEG's reader writes every pixel of a destination of the image's size; other
     * formats' readers are not kept. A colour JPEG is decoded into an image of RGB samples in
     * that order, as the reader decodes its rows, which it then copies whole: into its own
     * choice, {@code TYPE_3BYTE_BGR}, it copied them a sample at a time through a new array a
     * row (22 KB for an 84 × 84 photo).
     */
    private ImageReader jpeg;

    private BufferedImage jpegImage;

    ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @param systemProperties the context's system properties
     * @return a decoder with the limit they set
     * @throws IllegalArgumentException when the limit is neither a boolean nor a positive number
     */
    static ImageDecoder from(Map<String, String> systemProperties) {
        String value = systemProperties.getOrDefault(LIMIT_PROPERTY, "true").trim();
        if (value.equalsIgnoreCase("true")) {
            return new ImageDecoder(PILLOW_MAX_IMAGE_PIXELS);
        }
        if (value.equalsIgnoreCase("false")) {
            return new ImageDecoder(Long.MAX_VALUE);
        }
        try {
            long limit = Long.parseLong(value);
            if (limit > 0) {
                return new ImageDecoder(limit);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                LIMIT_PROPERTY + " must be true, false or a positive pixel count, not '" + value + "'");
    }

    /** Checks an image's size, read from its header, before its pixels are decoded. */
    @FunctionalInterface
    interface SizeCheck {
        /**
         * @param width the image's width
         * @param height its height
         * @throws HandlerException when the handler does not take an image that large
         */
        void check(int width, int height) throws HandlerException;
    }

    /**
     * @param bytes an encoded image
     * @param grayscale one luminance plane (Pillow's {@code L}) instead of three ({@code RGB})
     * @param check the handler's own limit, applied after the pixel limit
     * @return the pixels of its first frame
     * @throws HandlerException 400 when the bytes are empty, not an image of a supported format,
     *     over the pixel limit, corrupt or truncated; what {@code check} throws
     */
    Pixels decode(byte[] bytes, boolean grayscale, SizeCheck check) throws HandlerException {
        if (bytes.length == 0) {
            throw HandlerException.badRequest("The request has no image: the body is empty");
        }
        try {
            PngReader.Header png = PngReader.header(bytes);
            if (png != null) {
                checkSize(png.width(), png.height(), check);
                return this.png.read(bytes, png, grayscale);
            }
            return Pixels.of(decodeWithImageIo(bytes, check), grayscale);
        } catch (IOException | RuntimeException e) {
            throw HandlerException.badRequest("The image cannot be decoded: " + e.getMessage(), e);
        }
    }

    private BufferedImage decodeWithImageIo(byte[] bytes, SizeCheck check) throws IOException, HandlerException {
        // Read in place: a MemoryCacheImageInputStream copied the bytes into its cache first, 8 KB a
        // request more for a small PNG; and without a finalizer (see InPlaceImageInputStream).
        InPlaceImageInputStream input = (spare == null ? new InPlaceImageInputStream() : spare).over(bytes);
        spare = null;
        try {
            ImageReader reader = readerFor(bytes, input);
            boolean keep = false;
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(width, height, check);
                ImageReadParam param = reader.getDefaultReadParam();
                if (reader == jpeg) {
                    param.setDestination(jpegDestination(reader, width, height));
                }
                BufferedImage image = read(reader, param);
                if (reader == jpeg) {
                    jpegImage = (long) width * height <= KEPT_PIXELS ? image : null;
                    keep = true;
                }
                spare = input;
                return image;
            } finally {
                if (keep) {
                    reader.reset();
                } else {
                    reader.dispose();
                    if (reader == jpeg) {
                        jpeg = null;
                        jpegImage = null;
                    }
                }
            }
        } finally {
            input.release();
        }
    }

    /** @return the image to decode a JPEG into: the last one if it fits, else RGB for colour, else ImageIO's choice (null) */
    private BufferedImage jpegDestination(ImageReader reader, int width, int height) throws IOException {
        // The type read(0) would make: the first ImageIO offers.
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        int type = types.hasNext() ? types.next().getBufferedImageType() : BufferedImage.TYPE_CUSTOM;
        boolean colour = type == BufferedImage.TYPE_3BYTE_BGR;
        if (jpegImage != null
                && jpegImage.getWidth() == width
                && jpegImage.getHeight() == height
                && jpegImage.getType() == (colour ? BufferedImage.TYPE_CUSTOM : type)) {
            return jpegImage;
        }
        return colour ? rgbImage(width, height) : null;
    }

    /** @return an image of 8-bit samples in RGB order, interleaved: what {@link Pixels#of} reads in place */
    private static BufferedImage rgbImage(int width, int height) {
        ComponentColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(
                model,
                Raster.createInterleavedRaster(
                        DataBuffer.TYPE_BYTE, width, height, 3 * width, 3, new int[] {0, 1, 2}, null),
                false,
                null);
    }

    private void checkSize(int width, int height, SizeCheck check) throws HandlerException {
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw HandlerException.badRequest("The image has " + pixels + " pixels, more than the limit of " + maxPixels
                    + " (" + LIMIT_PROPERTY + ")");
        }
        check.check(width, height);
    }

    /** The reader its first bytes name, which confirms it; else the first of ImageIO's that takes it, else WebP's. */
    private ImageReader readerFor(byte[] bytes, ImageInputStream input) throws IOException, HandlerException {
        ImageReaderSpi known = knownFormats.readerOf(bytes);
        if (known != null && known.canDecodeInput(input)) {
            if (!knownFormats.isJpeg(known)) {
                return known.createReaderInstance(null);
            }
            if (jpeg == null) {
                jpeg = known.createReaderInstance(null);
            }
            return jpeg;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        if (readers.hasNext()) {
            return readers.next();
        }
        if (WEBP.canDecodeInput(input)) {
            return WEBP.createReaderInstance(null);
        }
        throw HandlerException.badRequest("The body is not an image in a supported format (PNG, JPEG, BMP, GIF, WebP)");
    }

    /**
     * Reads the first frame; the JPEG reader reports a truncated file only as a warning (and fills
     * the rest with grey), where Pillow refuses it, so warnings fail the read too.
     */
    private static BufferedImage read(ImageReader reader, ImageReadParam param) throws IOException {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
            throw new IIOException(String.join("; ", warnings));
        }
        return image;
    }
}
