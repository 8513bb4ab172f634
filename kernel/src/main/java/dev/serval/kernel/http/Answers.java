package dev.serval.kernel.http;

import dev.serval.sdk.Response;
import dev.serval.serving.AnswerSink;
import dev.serval.serving.ServingException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jetty.server.HttpOutput;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request with what a model version's workers answer, once they do, up to
 * {@code max_response_size}: a larger answer is refused with a 507 rather than sent. No thread
 * waits on the client: the body is read as it arrives and the answer is handed to Jetty to send
 * as the client takes it, so a client that sends or reads slowly, or not at all, stalls only
 * itself, until the listener's idle timeout or minimum data rate closes its connection.
 *
 * <p>The answer is serialised and handed to Jetty on the thread that completes the request,
 * mostly its worker: a hand-off to a thread of answer writers cost more CPU (a wake-up and a
 * switch of threads) than serialising a small answer does, and the hand-over never blocks, since
 * Jetty sends what the socket does not take at once from its own threads.
 */
final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private final BodyReader bodies;
    private final long maxResponseSize;
    private final InFlight inFlight = new InFlight();

    /**
     * @param bodies reads request bodies
     * @param maxResponseSize the largest body sent, in bytes
     */
    Answers(BodyReader bodies, long maxResponseSize) {
        this.bodies = bodies;
        this.maxResponseSize = maxResponseSize;
    }

    /** @return the {@code {version}} path parameter, when the route has one */
    static Optional<String> version(Context ctx) {
        return ctx.pathParamMap().containsKey("version") ? Optional.of(ctx.pathParam("version")) : Optional.empty();
    }

    /**
     * Hands the request to Jetty asynchronously, reads its body, gives it to {@code work}, and
     * once the workers answer, sends their response, or TorchServe's error JSON.
     *
     * @param work submits the request, given its body
     */
    void when(Context ctx, Function<byte[], CompletableFuture<Response>> work) {
        ctx.future(() -> inFlight.track(bodies.read(ctx.req()).thenCompose(work))
                .handle((result, failure) -> answer(ctx, result, failure))
                .thenCompose(sent -> sent));
    }

    /**
     * As {@link #when}, for a request whose handler may send intermediate answers: when it does,
     * the answer is chunked, each intermediate answer a chunk as it comes and the final one
     * last (a failure then is TorchServe's error JSON as the last chunk, the status being sent
     * already); when it does not, the answer is sent as {@link #when} sends it.
     *
     * @param work submits the request, given its body and where its intermediate answers go
     */
    void streamed(Context ctx, BiFunction<byte[], AnswerSink, CompletableFuture<Response>> work) {
        ChunkedAnswer chunks = new ChunkedAnswer(ctx, maxResponseSize);
        ctx.future(() -> inFlight.track(bodies.read(ctx.req()).thenCompose(body -> work.apply(body, chunks)))
                .handle((result, failure) ->
                        chunks.started() ? chunks.last(lastChunk(ctx, result, failure)) : answer(ctx, result, failure))
                .thenCompose(sent -> sent));
    }

    /**
     * Answers the requests still waiting for their body or their workers 503, or ends the
     * chunked answers begun with that error as their last chunk: a stop's grace period is over.
     *
     * @return how many were given up
     */
    int abandon() {
        return inFlight.abandon(ServingException.unavailable(
                "Serval is shutting down: the request was not answered within graceful_shutdown_timeout"));
    }

    private CompletableFuture<Void> answer(Context ctx, Response result, Throwable failure) {
        if (failure == null) {
            return send(ctx, result);
        }
        ServingException e = servingFailure(failure);
        ApiServer.error(ctx, e.status(), e.type(), e.getMessage());
        return CompletableFuture.completedFuture(null);
    }

    private byte[] lastChunk(Context ctx, Response result, Throwable failure) {
        ServingException e;
        if (failure == null) {
            try {
                return ResponseBody.of(result, maxResponseSize);
            } catch (ServingException tooLarge) {
                e = tooLarge;
            }
        } else {
            e = servingFailure(failure);
        }
        LOG.info(
                "The chunked answer to {} {} from {} ends with a failure: {}",
                ctx.method(),
                ctx.path(),
                ctx.ip(),
                e.getMessage());
        return ResponseBody.of(
                Response.json(ApiServer.errorBody(ctx, e.status(), e.type(), e.getMessage())), Long.MAX_VALUE);
    }

    private static ServingException servingFailure(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ServingException e
                ? e
                : new ServingException(500, "InternalServerException", "Prediction failed");
    }

    /**
     * Hands the answer to Jetty, which sends it as the client reads; Javalin finishes the
     * request (the access log line) when it is sent, on the thread that sent its last bytes.
     */
    private CompletableFuture<Void> send(Context ctx, Response response) {
        byte[] body;
        try {
            body = ResponseBody.of(response, maxResponseSize);
        } catch (ServingException e) {
            ApiServer.error(ctx, e.status(), e.type(), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        ctx.contentType(response.json().isPresent() ? ContentType.JSON : response.contentType());
        ctx.res().setContentLength(body.length);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        // Gone once the connection is; held as Jetty has it, made a string only for the log line.
        InetSocketAddress client = Request.getBaseRequest(ctx.req()).getRemoteInetSocketAddress();
        try {
            ((HttpOutput) ctx.res().getOutputStream())
                    .sendContent(ByteBuffer.wrap(body), Callback.from(() -> sent.complete(null), failure -> {
                        // The connection is closed: there is no one left to answer.
                        LOG.info(
                                "The answer to {} {} from {} was not delivered: {}",
                                ctx.method(),
                                ctx.path(),
                                client.getAddress().getHostAddress(),
                                failure.toString());
                        sent.complete(null);
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sent;
    }
}
