package dev.serval.serving;

import dev.serval.sdk.Response;
import java.util.concurrent.CompletionStage;

/**
 * Where a caller that streams (REST's chunked answer, gRPC's {@code StreamPredictions}) takes a
 * request's intermediate answers, as the handler sends them on its
 * {@link dev.serval.sdk.ResponseStream}. The worker calls it one answer at a time, in order, and
 * hands it at most {@link Intermediates#AHEAD} answers the client has not yet taken.
 */
@FunctionalInterface
public interface AnswerSink {

    /**
     * Starts sending one intermediate answer; it must not wait on the client.
     *
     * @param answer the handler's intermediate answer
     * @return completed once the answer is written out and the client takes more; failed when it
     *     cannot be sent (the client went away; a {@link ServingException} such as a 507 for an answer
     *     over {@code max_response_size}), which fails the request with that failure
     */
    CompletionStage<Void> send(Response answer);
}
