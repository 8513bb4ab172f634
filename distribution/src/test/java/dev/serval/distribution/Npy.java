package dev.serval.distribution;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** NumPy {@code .npy} files made byte by byte, with whatever header a test needs. */
final class Npy {

    private Npy() {
    }

    /**
     * @param descr the dtype, e.g. {@code <f4}
     * @param shape the shape as Python writes it, e.g. {@code (1, 28, 28)}
     * @param data the array's bytes, whatever the header claims
     * @return a version 1.0 {@code .npy} file
     */
    static byte[] of(String descr, String shape, byte[] data) {
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + shape + ", }");
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
}
