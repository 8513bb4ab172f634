package dev.serval.sdk;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends one request's intermediate answers to its client while the handler still works on it:
 * TorchServe's {@code send_intermediate_predict_response}. Get it with {@link Request#stream()}.
 *
 * <p>Over REST the answers are sent as the chunks of one chunked response, over gRPC
 * {@code StreamPredictions} as one message each; the response {@link Handler#handle} returns for
 * the request is sent last and ends the answer. A caller that takes one answer only (the gRPC
 * {@code Predictions} call, the KServe v2 API, a request built without a stream, such as in a unit
 * test) drops the intermediate answers and keeps the final one, so a handler need not know who
 * asks.
 *
 * <ul>
 *   <li><b>Order:</b> answers are sent in the order {@link #send} is called, all of them before the
 *       final one.
 *   <li><b>Threads:</b> {@link #send} may be called from any thread; calls are taken one at a time.
 *   <li><b>Batches:</b> each request of a batch has its own stream; the answers sent on one go to that
 *       request's client only.
 *   <li><b>Pace:</b> {@link #send} returns once the answer is handed on, not once the client read it;
 *       it waits only while the client is several answers behind, and at most until the request's
 *       {@code responseTimeout}, when the request fails with a 504 and {@link #send} returns
 *       {@code false}.
 *   <li><b>Size:</b> each answer, like the final one, is at most {@code max_response_size} bytes once
 *       written; a larger one fails the request with a 507.
 * </ul>
 */
@ProviderType
public interface ResponseStream {

    /** The stream of a request whose caller takes only the final answer: it drops what is sent. */
    ResponseStream DISCARD = answer -> true;

    /**
     * Sends an intermediate answer, in JSON or bytes as a final answer is.
     *
     * @param answer the answer to send now
     * @return {@code true} when it was handed on (or dropped for a caller that takes one answer);
     *     {@code false} when nobody takes this request's answers any more: the client went away, the
     *     request failed or timed out, or its final answer was already given. The handler may then
     *     stop working on the request; what it answers for it is dropped.
     */
    boolean send(Response answer);
}
