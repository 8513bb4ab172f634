package dev.serval.handlers.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes PNG files chunk by chunk, with the filter, chunk split and faults a test asks for, where
 * ImageIO's writer picks its own filters and writes only valid files.
 */
final class PngFile {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PngFile() {
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    }

    /** An 8-bit image with these samples (row-major, interleaved), every row filtered with {@code filter}. */
    static byte[] of(int width, int height, int colorType, byte[] samples, int filter, byte[] palette) {
        PngFile png = new PngFile().header(width, height, 8, colorType, 0);
        if (palette != null) {
            png.chunk("PLTE", palette);
        }
        return png.chunk(
                        "IDAT",
                        deflate(filtered(samples, width * channels(colorType), height, channels(colorType), filter)))
                .chunk("IEND", new byte[0])
                .bytes();
    }

    PngFile header(int width, int height, int bitDepth, int colorType, int interlace) {
        return chunk(
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) bitDepth)
                        .put((byte) colorType)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) interlace)
                        .array());
    }

    PngFile chunk(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return this;
    }

    /** Raw bytes, as they are: a chunk without its CRC, a length that lies. */
    PngFile raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static int channels(int colorType) {
        return switch (colorType) {
            case 0, 3 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("colour type " + colorType);
        };
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** The PNG filter {@code filter} applied to every row, each row preceded by its filter byte. */
    static byte[] filtered(byte[] samples, int rowBytes, int height, int bpp, int filter) {
        byte[] out = new byte[height * (rowBytes + 1)];
        for (int y = 0; y < height; y++) {
            out[y * (rowBytes + 1)] = (byte) filter;
            for (int i = 0; i < rowBytes; i++) {
                int x = samples[y * rowBytes + i] & 0xff;
                int left = i >= bpp ? samples[y * rowBytes + i - bpp] & 0xff : 0;
                int up = y > 0 ? samples[(y - 1) * rowBytes + i] & 0xff : 0;
                int upLeft = i >= bpp && y > 0 ? samples[(y - 1) * rowBytes + i - bpp] & 0xff : 0;
                int predicted = switch (filter) {
                    case 0 -> 0;
                    case 1 -> left;
                    case 2 -> up;
                    case 3 -> (left + up) / 2;
                    case 4 -> paeth(left, up, upLeft);
                    default -> throw new IllegalArgumentException("filter " + filter);
                };
                out[y * (rowBytes + 1) + 1 + i] = (byte) (x - predicted);
            }
        }
        return out;
    }

    /** The PNG specification's predictor, written as it gives it. */
    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        if (pa <= pb && pa <= pc) {
            return a;
        } else if (pb <= pc) {
            return b;
        }
        return c;
    }
}
