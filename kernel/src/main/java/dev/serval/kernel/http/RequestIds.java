package dev.serval.kernel.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id, answered in the {@code x-request-id} header as TorchServe does and
 * written to the access log, so that a client's report can be found in the server's log.
 */
final class RequestIds implements Handler {

    static final String HEADER = "x-request-id";
    private static final String ATTRIBUTE = "serval.requestId";

    @Override
    public void handle(Context ctx) {
        String id = next().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /**
     * @return a random (version 4) UUID, as {@link UUID#randomUUID()} makes, from a per-thread
     *     generator: an id names a request and guards nothing, and the secure generator behind
     *     {@code randomUUID}, one lock for every thread, cost more than the rest of this class
     */
    static UUID next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long version4 = random.nextLong() & ~0xF000L | 0x4000L;
        long ietfVariant = random.nextLong() & ~0xC000_0000_0000_0000L | 0x8000_0000_0000_0000L;
        return new UUID(version4, ietfVariant);
    }

    /** @return the request's id, or {@code -} for one refused before it got one */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "-";
    }
}
