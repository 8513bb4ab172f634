package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.ServingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InFlightTest {

    private static final ServingException STOPPING = ServingException.unavailable("stopping");

    @Test
    void abandonAnswersWhatIsPendingAndCountsIt() {
        InFlight inFlight = new InFlight();
        CompletableFuture<String> answered = inFlight.track(new CompletableFuture<>());
        CompletableFuture<String> queued = inFlight.track(new CompletableFuture<>());
        CompletableFuture<String> running = inFlight.track(new CompletableFuture<>());
        answered.complete("done");

        assertEquals(2, inFlight.abandon(STOPPING));

        ExecutionException failure = assertThrows(ExecutionException.class, queued::get);
        assertEquals(STOPPING, failure.getCause());
        assertTrue(running.isCompletedExceptionally());
        // A worker finishing the job later changes nothing: the 503 was the answer.
        running.complete("late");
        assertTrue(running.isCompletedExceptionally());
        assertEquals(0, inFlight.abandon(STOPPING));
    }
}
