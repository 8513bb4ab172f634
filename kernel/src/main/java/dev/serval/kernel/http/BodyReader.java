package dev.serval.kernel.http;

import dev.serval.serving.ServingException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;

/**
 * Reads request bodies without blocking a thread: bytes are taken as they arrive (the servlet
 * API's {@link ReadListener}), so a client sending a byte a second holds a connection, not one
 * of the listener's threads. A body stops being read as soon as it passes
 * {@code max_request_size}, with or without a {@code Content-Length}, and all the bodies being
 * read at once hold at most {@code max_buffered_request_bytes}. A body arriving slower than
 * {@code min_data_rate} after its first second is given up with a 408 (Jetty's own minimum rate
 * is measured up to every read, so it refuses a small body merely read a few milliseconds after it
 * arrived; this one is measured as bytes arrive).
 */
final class BodyReader {

    /** What a body's array starts at: a small input (most are) is read into one array, once. */
    private static final int INITIAL = 16_384;
    /** How long a body may take to get going before its rate counts: a slow start is no attack. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long maxRequestSize;
    private final long maxBuffered;
    private final long minDataRate;
    private final AtomicLong buffered = new AtomicLong();

    /**
     * @param maxRequestSize the largest body accepted, in bytes; a larger one is a 413
     * @param maxBuffered the bytes all bodies being read may hold together; past it, a 503
     * @param minDataRate the bytes per second a body must arrive at after its first second; 0: any
     */
    BodyReader(long maxRequestSize, long maxBuffered, long minDataRate) {
        this.maxRequestSize = maxRequestSize;
        this.maxBuffered = maxBuffered;
        this.minDataRate = minDataRate;
    }

    /**
     * Starts reading; the request must be asynchronous already (as inside {@code ctx.future}).
     *
     * @param request the request, asynchronous
     * @return the whole body, or a {@link ServingException} with the status to answer
     */
    CompletableFuture<byte[]> read(HttpServletRequest request) {
        long contentLength = request.getContentLengthLong();
        if (contentLength > maxRequestSize) {
            // Refused on its word, before a byte is read or held.
            return CompletableFuture.failedFuture(tooLarge());
        }
        try {
            ServletInputStream in = request.getInputStream();
            Body body = new Body(in, contentLength);
            in.setReadListener(body);
            return body.result;
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @return the bytes the bodies being read hold now */
    long buffered() {
        return buffered.get();
    }

    private ServingException tooLarge() {
        return new ServingException(
                413,
                "RequestTooLargeException",
                "The request body exceeds max_request_size (" + maxRequestSize + " bytes)");
    }

    /**
     * One body being read, into an array that grows as bytes arrive (to its announced length at
     * most, so that a body of a known length ends in an array of that length, uncopied).
     */
    private final class Body implements ReadListener {

        private final ServletInputStream in;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final long limit;
        private final boolean announced;
        private final byte[] probe = new byte[1];
        private final long start = System.nanoTime();
        private byte[] buffer = new byte[0];
        private int length;

        Body(ServletInputStream in, long contentLength) {
            this.in = in;
            this.announced = contentLength >= 0;
            // An array holds 2^31 - 9 bytes at most, whatever max_request_size says.
            this.limit = Math.min(announced ? contentLength : maxRequestSize, Integer.MAX_VALUE - 8);
        }

        @Override
        public void onDataAvailable() {
            try {
                while (!result.isDone() && in.isReady()) {
                    if (length == buffer.length && length < limit && !grow()) {
                        return;
                    }
                    int n = length < buffer.length ? in.read(buffer, length, buffer.length - length) : in.read(probe);
                    if (n < 0) {
                        return; // onAllDataRead follows
                    }
                    if (length == buffer.length) {
                        fail(tooLarge()); // a byte past the limit
                        return;
                    }
                    length += n;
                    // A body read whole is not slow, however late its reading ran (a loaded CPU).
                    if (length < limit && tooSlow()) {
                        fail(new ServingException(
                                408,
                                "RequestTimeoutException",
                                "The request body arrives slower" + " than min_data_rate (" + minDataRate
                                        + " bytes a second)"));
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                onError(e);
            }
        }

        private boolean tooSlow() {
            long counted = System.nanoTime() - start - GRACE_NANOS;
            return counted > 0 && length < minDataRate * counted / TimeUnit.SECONDS.toNanos(1);
        }

        /** @return whether the body may hold more, within the listener's buffered bytes */
        private boolean grow() {
            int size = (int) Math.min(limit, Math.max(INITIAL, 2L * buffer.length));
            if (buffered.addAndGet(size - buffer.length) > maxBuffered) {
                buffered.addAndGet(buffer.length - size);
                fail(new ServingException(
                        503,
                        "ServiceUnavailableException",
                        "Too many request bodies are being"
                                + " received at once (max_buffered_request_bytes); retry later"));
                return false;
            }
            buffer = Arrays.copyOf(buffer, size);
            return true;
        }

        @Override
        public void onAllDataRead() {
            if (result.isDone()) {
                return;
            }
            buffered.addAndGet(-buffer.length);
            if (announced && length < limit) {
                result.completeExceptionally(new ServingException(
                        400,
                        "BadRequestException",
                        "The request body ended after " + length + " of " + limit + " bytes"));
            } else {
                result.complete(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
            }
        }

        @Override
        public void onError(Throwable failure) {
            // Jetty refuses bad chunking with a 400 BadMessageException; an idle connection times out.
            fail(
                    failure instanceof BadMessageException bad
                            ? new ServingException(bad.getCode(), "BadRequestException", bad.getReason())
                            : failure instanceof EofException
                                    ? new ServingException(400, "BadRequestException", "The request body was cut short")
                                    : new ServingException(
                                            408,
                                            "RequestTimeoutException",
                                            "The request body did not arrive in time: " + failure.getMessage()));
        }

        private void fail(ServingException failure) {
            if (result.completeExceptionally(failure)) {
                buffered.addAndGet(-buffer.length);
            }
        }
    }
}
