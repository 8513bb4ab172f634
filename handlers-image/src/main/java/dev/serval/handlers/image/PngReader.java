package dev.serval.handlers.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the PNGs most requests carry (8 bits a sample, not interlaced: gray, RGB, palette, gray
 * with alpha, RGBA) straight into {@link Pixels}, as Pillow's {@code convert("L")} or
 * {@code convert("RGB")} gives them; other PNGs are left to ImageIO ({@link #header} says which).
 *
 * <p>Why not ImageIO: its PNG reader allocates about 27 KB for a 28 × 28 digit (an 8 KB buffer for
 * every {@code IDAT} chunk, an inflater, the metadata, the raster) and took a fifth of a worker's
 * time in Java, for a format this simple. This one inflates the chunks in place into one buffer
 * kept between requests, with one {@link Inflater}, and allocates only the planes it returns.
 *
 * <p>Against hostile files: the size is read from the header and checked by the caller before
 * anything is allocated; the buffer is exactly the size the header implies, inflation stops when
 * it is full (a zip bomb inflates no further), a chunk longer than the file or a file that ends
 * before its pixels is refused. As Pillow, it checks the CRC of the header and palette, not of the
 * image data, and ignores chunks it does not need, as well as anything after the pixels.
 *
 * <p>Not thread-safe: one reader per {@link ImageDecoder}, used by one worker at a time.
 */
final class PngReader {

    /** The eight bytes every PNG starts with; {@link KnownFormats} knows PNGs by them too. */
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private static final int IHDR = chunkType("IHDR");
    private static final int PLTE = chunkType("PLTE");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");

    private static final int GRAY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int GRAY_ALPHA = 4;
    private static final int RGBA = 6;

    /** The scanline buffer is kept for the next image up to this size (a 512 × 512 RGBA image). */
    private static final int KEPT_BYTES = 1 << 20;

    private final Inflater inflater = new Inflater();
    private final CRC32 crc = new CRC32();
    private byte[] scanlines = new byte[0];

    /**
     * What a PNG's header says, when this reader takes the file.
     *
     * @param width width in pixels
     * @param height height in pixels
     * @param colorType the PNG colour type, one this reader decodes
     */
    record Header(int width, int height, int colorType) {

        /** @return samples per pixel */
        int channels() {
            return PngReader.channels(colorType);
        }

        /** @return the size of the filtered scanlines: a filter byte, then the row's samples */
        int scanlineBytes() {
            return height * (1 + width * channels());
        }
    }

    /**
     * @param bytes an encoded image
     * @return its header when it is a PNG this reader decodes; null when it is not a PNG, or one of
     *     those ImageIO reads (16 or fewer than 8 bits a sample, interlaced, a header it rejects)
     * @throws IOException when the header's CRC is wrong
     */
    static Header header(byte[] bytes) throws IOException {
        // Signature, IHDR's length and type, its 13 bytes of data and its CRC.
        if (bytes.length < SIGNATURE.length + 8 + 13 + 4
                || !Arrays.equals(bytes, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)
                || readInt(bytes, 8) != 13
                || readInt(bytes, 12) != IHDR) {
            return null;
        }
        checkCrc(new CRC32(), bytes, 12, 13, "IHDR");
        int width = readInt(bytes, 16);
        int height = readInt(bytes, 20);
        int bitDepth = bytes[24];
        int colorType = bytes[25];
        boolean standard =
                bytes[26] == 0 && bytes[27] == 0 && bytes[28] == 0; // deflate, adaptive filters, no interlace
        int channels = channels(colorType);
        if (width <= 0 || height <= 0 || bitDepth != 8 || !standard || channels == 0) {
            return null;
        }
        if ((long) height * (1 + (long) width * channels) > Integer.MAX_VALUE - 16) {
            return null; // larger than an array: ImageIO refuses it, or the pixel limit does first
        }
        return new Header(width, height, colorType);
    }

    private static int channels(int colorType) {
        return switch (colorType) {
            case GRAY, PALETTE -> 1;
            case GRAY_ALPHA -> 2;
            case RGB -> 3;
            case RGBA -> 4;
            default -> 0;
        };
    }

    /**
     * @param bytes the PNG whose header {@link #header} returned
     * @param header that header, its size already checked against the limits
     * @param grayscale one luminance plane (Pillow's {@code L}) instead of three
     * @return its pixels
     * @throws IOException when the file is truncated or corrupt
     */
    Pixels read(byte[] bytes, Header header, boolean grayscale) throws IOException {
        int size = header.scanlineBytes();
        byte[] data = size <= scanlines.length ? scanlines : new byte[size];
        byte[] palette = inflate(bytes, header, data, size);
        if (size <= KEPT_BYTES) {
            scanlines = data;
        }
        unfilter(data, header.width() * header.channels(), header.height(), header.channels());
        return planes(data, header, palette, grayscale);
    }

    /** Inflates the image data into {@code data}; returns the palette, or null for other colour types. */
    private byte[] inflate(byte[] bytes, Header header, byte[] data, int size) throws IOException {
        byte[] palette = null;
        int inflated = 0;
        int at = SIGNATURE.length + 8 + 13 + 4;
        try {
            while (inflated < size) {
                if (at + 8 > bytes.length) {
                    throw new IOException(
                            "the PNG is truncated: its image data ends after " + inflated + " of " + size + " bytes");
                }
                int length = readInt(bytes, at);
                int type = readInt(bytes, at + 4);
                if (length < 0 || length > bytes.length - at - 12) {
                    throw new IOException("the PNG is truncated: a chunk of " + Integer.toUnsignedString(length)
                            + " bytes at offset " + at + " runs past its end");
                }
                int start = at + 8;
                if (type == PLTE && header.colorType() == PALETTE) {
                    palette = palette(bytes, start, length);
                } else if (type == IDAT) {
                    if (header.colorType() == PALETTE && palette == null) {
                        throw new IOException("the PNG has no palette before its image data");
                    }
                    inflated = inflateChunk(bytes, start, length, data, inflated, size);
                } else if (type == IEND) {
                    throw new IOException(
                            "the PNG is truncated: it ends after " + inflated + " of " + size + " bytes of image data");
                }
                at = start + length + 4;
            }
        } catch (DataFormatException e) {
            throw new IOException("the PNG's image data is corrupt: " + e.getMessage(), e);
        } finally {
            inflater.reset(); // which also lets go of the body, so that the reader does not keep it alive
        }
        return palette;
    }

    private int inflateChunk(byte[] bytes, int start, int length, byte[] data, int inflated, int size)
            throws DataFormatException, IOException {
        inflater.setInput(bytes, start, length);
        int done = inflated;
        while (done < size && !inflater.needsInput()) {
            int count = inflater.inflate(data, done, size - done);
            if (count == 0 && !inflater.needsInput()) {
                // The stream ended (or wants a dictionary, which PNG never sets) with input left.
                throw new IOException("the PNG's image data ends after " + done + " of " + size + " bytes");
            }
            done += count;
        }
        return done;
    }

    /** 256 entries, RGB; those the chunk leaves out are black, as in Pillow. */
    private byte[] palette(byte[] bytes, int start, int length) throws IOException {
        if (length % 3 != 0 || length > 256 * 3) {
            throw new IOException("the PNG's palette has " + length + " bytes, not 3 for each of at most 256 entries");
        }
        checkCrc(crc, bytes, start - 4, length, "PLTE");
        byte[] palette = new byte[256 * 3];
        System.arraycopy(bytes, start, palette, 0, length);
        return palette;
    }

    /** Undoes the PNG filters in place, row by row: each row's filter refers to the row before, already undone. */
    private static void unfilter(byte[] data, int rowBytes, int height, int bpp) throws IOException {
        int stride = rowBytes + 1;
        for (int y = 0; y < height; y++) {
            int row = y * stride + 1;
            int prior = row - stride; // below 0 on the first row, whose prior row is all zeros
            int filter = data[row - 1];
            switch (filter) {
                case 0 -> {}
                case 1 -> {
                    for (int i = bpp; i < rowBytes; i++) {
                        data[row + i] += data[row + i - bpp];
                    }
                }
                case 2 -> {
                    if (y > 0) {
                        for (int i = 0; i < rowBytes; i++) {
                            data[row + i] += data[prior + i];
                        }
                    }
                }
                case 3 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i >= bpp ? data[row + i - bpp] & 0xff : 0;
                        int up = y > 0 ? data[prior + i] & 0xff : 0;
                        data[row + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i >= bpp ? data[row + i - bpp] & 0xff : 0;
                        int up = y > 0 ? data[prior + i] & 0xff : 0;
                        int upLeft = i >= bpp && y > 0 ? data[prior + i - bpp] & 0xff : 0;
                        data[row + i] += (byte) paeth(left, up, upLeft);
                    }
                }
                default ->
                    throw new IOException("the PNG's row " + y + " has an unknown filter type " + (filter & 0xff));
            }
        }
    }

    private static int paeth(int left, int up, int upLeft) {
        int p = left + up - upLeft;
        int toLeft = Math.abs(p - left);
        int toUp = Math.abs(p - up);
        int toUpLeft = Math.abs(p - upLeft);
        if (toLeft <= toUp && toLeft <= toUpLeft) {
            return left;
        }
        return toUp <= toUpLeft ? up : upLeft;
    }

    /**
     * Pillow's conversions: alpha is dropped, not composited; gray becomes three equal planes;
     * colour becomes luminance by {@link Pixels#luma}.
     */
    private static Pixels planes(byte[] data, Header header, byte[] palette, boolean grayscale) {
        int w = header.width();
        int h = header.height();
        int channels = header.channels();
        int rowStride = 1 + w * channels; // each row starts with its filter type
        if (header.colorType() == RGB || header.colorType() == RGBA) {
            return Pixels.ofInterleaved(data, w, h, 1, rowStride, channels, grayscale);
        }
        if (header.colorType() == PALETTE) {
            Pixels.Planes planes = new Pixels.Planes(w, h, grayscale);
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0, at = y * rowStride + 1; x < w; x++, i++) {
                    int entry = 3 * (data[at + x] & 0xff);
                    planes.set(i, palette[entry] & 0xff, palette[entry + 1] & 0xff, palette[entry + 2] & 0xff);
                }
            }
            return planes.pixels();
        }
        // Gray, with or without alpha: its first sample is the gray.
        byte[] gray = new byte[w * h];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0, at = y * rowStride + 1; x < w; x++, i++, at += channels) {
                gray[i] = data[at];
            }
        }
        return Pixels.ofGray(gray, w, h, grayscale);
    }

    private static void checkCrc(CRC32 crc, byte[] bytes, int typeAt, int length, String chunk) throws IOException {
        crc.reset();
        crc.update(bytes, typeAt, 4 + length);
        if ((int) crc.getValue() != readInt(bytes, typeAt + 4 + length)) {
            throw new IOException("broken PNG file: bad CRC in its " + chunk + " chunk");
        }
    }

    private static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) << 24
                | (bytes[at + 1] & 0xff) << 16
                | (bytes[at + 2] & 0xff) << 8
                | bytes[at + 3] & 0xff;
    }

    private static int chunkType(String name) {
        return readInt(name.getBytes(StandardCharsets.US_ASCII), 0);
    }
}
