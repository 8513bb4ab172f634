package dev.serval.handlers.image;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over a request body, read in place, that the
 * JVM need not finalize.
 *
 * <p>{@link ImageInputStreamImpl} declares {@code finalize()} (JDK 17, which Serval runs on), so
 * every stream built on it, the JDK's and TwelveMonkeys' alike, is registered with the finalizer
 * and keeps the body it reads alive through the first garbage collection after the request and
 * until the finalizer thread has run. Under load that is hundreds of bodies at a time, promoted to
 * the old generation, which a full collection cannot free either: the heap after a full GC moved
 * by megabytes from one collection to the next. HotSpot does not register objects whose class
 * overrides {@code finalize()} with an empty method, and this stream needs none: it holds nothing
 * but the array.
 *
 * <p>One stream serves many bodies ({@link #over}): each new one allocates ImageInputStreamImpl's
 * 8 KB buffer.
 */
final class InPlaceImageInputStream extends ImageInputStreamImpl {

    private static final byte[] NONE = new byte[0];

    private byte[] bytes = NONE;

    /**
     * Points the stream at another body, from its start, in big-endian order; not to be called
     * on a stream a failed read left with marks on its stack.
     *
     * @param body the encoded image, read without a copy
     * @return this stream
     */
    InPlaceImageInputStream over(byte[] body) {
        bytes = body;
        streamPos = 0;
        bitOffset = 0;
        flushedPos = 0;
        setByteOrder(ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Lets go of the body, so that a stream kept for the next one does not keep it alive. */
    void release() {
        over(NONE);
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(offset, length, buffer.length);
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        if (streamPos >= bytes.length) {
            return -1;
        }
        int count = (int) Math.min(length, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, buffer, offset, count);
        streamPos += count;
        return count;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }

    /** Empty, so that HotSpot registers no finalizer for this stream, which holds nothing to release. */
    @Override
    @SuppressWarnings("deprecation")
    protected void finalize() {
        // nothing to release
    }
}
