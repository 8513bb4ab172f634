package dev.serval.handlers.image;

import dev.serval.sdk.HandlerException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A NumPy {@code .npy} body (format versions 1, 2 and 3), read without DJL: its header is checked
 * against the bytes present before anything is allocated, so a body of a few bytes cannot claim
 * gigabytes. DJL's {@code NDList.decode} is not used because it allocates the array a header
 * claims before reading its data, and because it also takes {@code .npz}, safetensors and DJL's
 * own format, which {@value InputDecoder#NPY} does not name.
 *
 * @param type the dtype
 * @param shape the dimensions
 * @param data the values, positioned at the first, in the file's byte order
 */
record NpyArray(NpyType type, long[] shape, ByteBuffer data) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy's reader refuses longer headers ({@code max_header_size}) as a safeguard of its own. */
    private static final int MAX_HEADER = 10_000;

    private static final String ACCEPTED = "a NumPy .npy file (format 1, 2 or 3)";

    /**
     * @param body the request body
     * @return the array it holds
     * @throws HandlerException 400 when the body is not an {@code .npy} file, its header is
     *     malformed, its dtype is not a number, or its data is not exactly what the header claims
     */
    static NpyArray parse(byte[] body) throws HandlerException {
        if (body.length < MAGIC.length + 4 || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw HandlerException.badRequest(
                    "The body is not " + ACCEPTED + describe(body) + "; application/x-npy takes .npy files only");
        }
        ByteBuffer file = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).position(MAGIC.length);
        int major = file.get();
        int minor = file.get();
        if (major < 1 || major > 3 || minor != 0) {
            throw badHeader("format version " + major + "." + minor + " is not 1.0, 2.0 or 3.0");
        }
        long headerLength = major == 1
                ? file.getShort() & 0xffff
                : file.remaining() >= 4 ? file.getInt() & 0xffff_ffffL : Long.MAX_VALUE;
        if (headerLength > MAX_HEADER || headerLength > file.remaining()) {
            throw badHeader("its header length " + headerLength + " is over " + MAX_HEADER
                    + " bytes or past the end of the " + body.length + "-byte body");
        }
        // Versions 1 and 2 write the header in Latin-1, version 3 in UTF-8.
        String text = new String(
                body,
                file.position(),
                (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header;
        try {
            header = NpyHeader.parse(text);
        } catch (IllegalArgumentException e) {
            throw badHeader(e.getMessage());
        }
        file.position(file.position() + (int) headerLength);
        NpyType type = type(header.descr());
        if (header.fortranOrder()) {
            throw badHeader("it is in Fortran order; send a C-ordered array (numpy.ascontiguousarray)");
        }
        checkSize(header.shape(), type, file.remaining());
        return new NpyArray(type, header.shape(), file.slice().order(order(header.descr())));
    }

    /** @return the number of values */
    int values() {
        return data.remaining() / type.size();
    }

    /** @param floats where every value goes, as float32, row-major, from its first */
    void copyTo(FloatBuffer floats) {
        ByteBuffer values = data.duplicate().order(data.order());
        for (int i = 0, n = values(); i < n; i++) {
            floats.put(i, type.read(values));
        }
    }

    /** A {@code descr} is a byte order ({@code <}, {@code >}, {@code |} for one byte) and a type code. */
    private static NpyType type(String descr) throws HandlerException {
        NpyType type =
                descr.length() < 2 ? null : NpyType.of(descr.substring(1)).orElse(null);
        char order = descr.isEmpty() ? 0 : descr.charAt(0);
        boolean ordered = type != null && (order == '<' || order == '>' || (order == '|' && type.size() == 1));
        if (!ordered) {
            throw HandlerException.badRequest("The .npy array's dtype '" + descr + "' is not a number type this "
                    + "handler takes: " + NpyType.codes() + ", with a byte order < or > (| for one byte)");
        }
        return type;
    }

    private static ByteOrder order(String descr) {
        return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Values × item size, without overflow, must be exactly the bytes after the header. */
    private static void checkSize(long[] shape, NpyType type, int present) throws HandlerException {
        long bytes = type.size();
        try {
            for (long dimension : shape) {
                bytes = Math.multiplyExact(bytes, dimension);
            }
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes != present) {
            throw HandlerException.badRequest("The .npy header claims a shape of " + Arrays.toString(shape) + " of "
                    + type.size() + "-byte values, " + (bytes == Long.MAX_VALUE ? "over 2^63" : bytes)
                    + " bytes, but the body holds " + present + " bytes of data");
        }
    }

    private static HandlerException badHeader(String why) {
        return HandlerException.badRequest("The body is not " + ACCEPTED + ": " + why);
    }

    /** Names the formats DJL's decoder would have taken, so that a client sees what it sent. */
    private static String describe(byte[] body) {
        if (body.length >= 4 && body[0] == 'P' && body[1] == 'K' && body[2] == 3 && body[3] == 4) {
            return " but a zip archive (.npz?)";
        }
        if (body.length >= 10 && body[6] == 'N' && body[7] == 'D' && body[8] == 'A' && body[9] == 'R') {
            return " but DJL's NDList format";
        }
        if (body.length > 8 && body[8] == '{') {
            return " but safetensors";
        }
        return "";
    }
}
