package dev.serval.serving;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.List;

/** Hands a batch to a handler and holds it to its contract, for the workers and the SDK test kit. */
public final class HandlerCalls {

    private HandlerCalls() {}

    /**
     * @param handler an initialized handler
     * @param batch the requests
     * @param context the context the handler was initialized with
     * @return one response per request
     * @throws Exception what the handler threw
     * @throws IllegalStateException when the handler did not answer one response per request
     */
    public static List<Response> handle(Handler handler, List<Request> batch, Context context) throws Exception {
        List<Response> responses = handler.handle(batch, context);
        if (responses == null || responses.size() != batch.size()) {
            throw new IllegalStateException(
                    "handler returned " + (responses == null ? "null" : responses.size() + " responses")
                            + " for a batch of " + batch.size());
        }
        return responses;
    }
}
