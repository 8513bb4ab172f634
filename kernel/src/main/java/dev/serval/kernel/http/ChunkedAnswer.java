package dev.serval.kernel.http;

import dev.serval.sdk.Response;
import dev.serval.serving.AnswerSink;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A REST answer sent in parts: the handler's intermediate answers, each written and flushed as one
 * chunk of a chunked response (HTTP/1.1 has no {@code Content-Length} for it), then the final one.
 * The status and media type are the first answer's. Writes never wait on the client: they use the
 * servlet's non-blocking output, each part completing once it is flushed to the connection, so
 * the worker's stream, which hands on only a few parts ahead, paces the handler to the client.
 */
final class ChunkedAnswer implements AnswerSink, WriteListener {

    /** A part to write, and whether it has been written and is being flushed. */
    private static final class Part {
        final byte[] bytes;
        final CompletableFuture<Void> sent = new CompletableFuture<>();
        boolean written;

        Part(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final Context ctx;
    private final long maxResponseSize;
    /** Guarded by this, as is everything below. */
    private final Queue<Part> parts = new ArrayDeque<>();

    private ServletOutputStream out;
    private Part current;
    private Throwable failure;

    /**
     * @param ctx the request answered
     * @param maxResponseSize {@code max_response_size}: the largest part, in bytes
     */
    ChunkedAnswer(Context ctx, long maxResponseSize) {
        this.ctx = ctx;
        this.maxResponseSize = maxResponseSize;
    }

    @Override
    public CompletionStage<Void> send(Response answer) {
        byte[] body;
        try {
            body = ResponseBody.of(answer, maxResponseSize);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            if (out == null) {
                start(answer);
            }
        }
        return write(body);
    }

    /** @return whether the answer has begun, so that what follows must be a part of it */
    synchronized boolean started() {
        return out != null;
    }

    /**
     * @param body the final part
     * @return completed once it is sent, or the client is gone
     */
    CompletableFuture<Void> last(byte[] body) {
        return write(body).handle((sent, failed) -> null);
    }

    private void start(Response first) {
        ctx.status(200);
        ctx.contentType(first.json().isPresent() ? ContentType.JSON : first.contentType());
        try {
            out = ctx.res().getOutputStream();
        } catch (IOException e) {
            failure = e;
            return;
        }
        out.setWriteListener(this);
    }

    private CompletableFuture<Void> write(byte[] body) {
        Part part = new Part(body);
        synchronized (this) {
            if (failure != null || out == null) {
                part.sent.completeExceptionally(failure != null ? failure : new IOException("not started"));
                return part.sent;
            }
            parts.add(part);
        }
        onWritePossible();
        return part.sent;
    }

    @Override
    public void onWritePossible() {
        List<Part> sent = new ArrayList<>();
        try {
            synchronized (this) {
                // isReady() false asks Jetty to call again once the write or flush in progress is done.
                while (failure == null && out.isReady()) {
                    if (current == null) {
                        current = parts.poll();
                        if (current == null) {
                            break;
                        }
                        out.write(current.bytes);
                        continue;
                    }
                    if (!current.written) {
                        current.written = true;
                        out.flush();
                        continue;
                    }
                    sent.add(current);
                    current = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            onError(e);
        }
        // Outside the lock: what follows a part may write the next one.
        sent.forEach(part -> part.sent.complete(null));
    }

    @Override
    public void onError(Throwable t) {
        List<Part> failed = new ArrayList<>();
        synchronized (this) {
            failure = t;
            if (current != null) {
                failed.add(current);
                current = null;
            }
            failed.addAll(parts);
            parts.clear();
        }
        failed.forEach(part -> part.sent.completeExceptionally(t));
    }
}
