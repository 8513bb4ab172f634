package dev.serval.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** NumPy {@code .npy} files made byte by byte, with whatever header a test needs, and the formats beside it. */
final class Npy {

    private Npy() {}

    /**
     * @param descr the dtype, e.g. {@code <f4}
     * @param shape the shape as Python writes it, e.g. {@code (1, 28, 28)}
     * @param data the array's bytes, whatever the header claims
     * @return a version 1.0 {@code .npy} file
     */
    static byte[] of(String descr, String shape, byte[] data) {
        return withHeader("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", data);
    }

    /**
     * @param dict the header's Python dict literal, as it should appear
     * @param data the array's bytes, whatever the header claims
     * @return a version 1.0 {@code .npy} file, its header padded as NumPy pads it
     */
    static byte[] withHeader(String dict, byte[] data) {
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /**
     * @param npy the {@code .npy} file to hold
     * @return a NumPy {@code .npz} archive of it, as {@code numpy.savez} writes: a zip of
     *     {@code arr_0.npy}
     */
    static byte[] npz(byte[] npy) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("arr_0.npy"));
            zip.write(npy);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /**
     * @param json the safetensors header, e.g. {@code {"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}}
     * @param data the bytes after it
     * @return a safetensors file: the header's length (8 bytes, little-endian), the header, the data
     */
    static byte[] safetensors(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return file.putLong(header.length).put(header).put(data).array();
    }
}
