package dev.serval.distribution;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** PNG files made byte by byte, for the limits no ordinary image reaches. */
final class Images {

    private Images() {}

    /**
     * A valid greyscale PNG of {@code width × height} zeros: a few kilobytes on the wire, that
     * many bytes of pixels once decoded.
     */
    static byte[] blankPng(int width, int height) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(pixels)) {
            byte[] row = new byte[width + 1]; // filter type 0, then the samples
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        return png(width, height, pixels.toByteArray());
    }

    /**
     * A decompression bomb's header: a PNG claiming {@code width × height} pixels, with almost no
     * data behind the claim. A decoder that allocates what the header says runs out of memory.
     */
    static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(pixels)) {
            deflate.write(new byte[width + 1]);
        }
        return png(width, height, pixels.toByteArray());
    }

    private static byte[] png(int width, int height, byte[] idat) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(width);
        ihdr.writeInt(height);
        ihdr.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, deflate, no filter method, no interlace
        chunk(png, "IHDR", header.toByteArray());
        chunk(png, "IDAT", idat);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
