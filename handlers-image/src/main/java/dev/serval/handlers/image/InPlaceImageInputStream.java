package dev.serval.handlers.image;

import java.io.IOException;
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
 * overrides {@code finalize()} with an empty method, and this stream needs none: {@link
 * ImageDecoder} closes it, and it holds nothing but the array.
 */
final class InPlaceImageInputStream extends ImageInputStreamImpl {

    private final byte[] bytes;

    /** @param bytes the encoded image, read without a copy */
    InPlaceImageInputStream(byte[] bytes) {
        this.bytes = bytes;
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

    /** Empty, so that HotSpot registers no finalizer for this stream; {@code close()} releases all it holds. */
    @Override
    @SuppressWarnings("deprecation")
    protected void finalize() {
        // nothing to release
    }
}
