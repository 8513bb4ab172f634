package dev.serval.serving;

import static dev.serval.serving.FakeModels.WAIT_MS;
import static dev.serval.serving.FakeModels.answer;
import static dev.serval.serving.FakeModels.await;
import static dev.serval.serving.FakeModels.failure;
import static dev.serval.serving.FakeModels.request;
import static dev.serval.serving.FakeModels.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.sdk.ResponseStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handler's intermediate answers, carried by the worker to the caller's sink as they come. */
class ModelVersionStreamingTest {

    @RegisterExtension
    final ServingFixture fixture = new ServingFixture();

    /** What a {@link Streaming} handler's streams said when sent to, in order. */
    private final List<Boolean> sendResults = new CopyOnWriteArrayList<>();
    /** The streams its handler was given, to send on after the final answer. */
    private final List<ResponseStream> streams = new CopyOnWriteArrayList<>();

    /**
     * Sends each word of the body but the last as an intermediate answer, stopping at the
     * fixture's gate after the first and at once when a send returns false; answers the last word.
     */
    final class Streaming implements Handler {
        @Override
        public List<Response> handle(List<Request> batch, Context context) throws Exception {
            List<Response> answers = new ArrayList<>();
            for (Request request : batch) {
                streams.add(request.stream());
                String[] words = request.bodyAsString().split(" ");
                for (int i = 0; i < words.length - 1; i++) {
                    boolean sent = request.stream().send(Response.json(words[i]));
                    sendResults.add(sent);
                    if (!sent) {
                        break;
                    }
                    if (i == 0 && words.length > 2) {
                        fixture.gate.pass();
                    }
                }
                answers.add(Response.json(words[words.length - 1]));
            }
            return answers;
        }
    }

    /** A sink that takes every answer at once and records it. */
    private static final class Recording implements AnswerSink {
        final List<Object> answers = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(Response answer) {
            answers.add(answer.json().orElseThrow());
            return CompletableFuture.completedFuture(null);
        }
    }

    private ModelVersion streaming(long responseTimeoutMs) throws InterruptedException {
        return fixture.serving(settings(1, 1, 0, responseTimeoutMs, 10), HandlerSource.of(Streaming::new));
    }

    @Test
    void intermediateAnswersReachTheCallerInOrderBeforeTheFinalOneIsMade() throws Exception {
        ModelVersion version = streaming(WAIT_MS);
        Recording sink = new Recording();

        CompletableFuture<Response> result = version.submit(request("one two three"), sink);

        assertTrue(fixture.gate.awaitArrivals(1), "handler between its first and second answers");
        assertEquals(List.of("one"), sink.answers, "the first answer is out while the second is not made");
        assertFalse(result.isDone());
        fixture.gate.open();
        assertEquals("three", answer(result).json().orElseThrow());
        assertEquals(List.of("one", "two"), sink.answers);
        assertFalse(streams.get(0).send(Response.json("late")), "nothing is sent after the final answer");
        assertEquals(List.of("one", "two"), sink.answers);
    }

    @Test
    void aClientThatTakesNothingHoldsTheWorkerOnlyUntilTheResponseTimeout() throws Exception {
        ModelVersion version = streaming(500);
        List<CompletableFuture<Void>> never = new CopyOnWriteArrayList<>();
        String words = String.join(" ", java.util.Collections.nCopies(Intermediates.AHEAD + 4, "w"));

        CompletableFuture<Response> stalled = version.submit(request("x " + words), answer -> {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            never.add(taken);
            return taken;
        });
        fixture.gate.open();

        assertEquals(504, failure(stalled).status());
        await("the handler told to stop", () -> sendResults.contains(false));
        assertEquals(Intermediates.AHEAD, never.size(), "no more answers handed on than the bound");
        Recording sink = new Recording();
        assertEquals("b", answer(version.submit(request("a b"), sink)).json().orElseThrow(), "the worker is free");
        assertEquals(List.of("a"), sink.answers);
    }

    @Test
    void aClientThatWentAwayFailsItsRequestAndTheHandlerStops() throws Exception {
        ModelVersion version = streaming(WAIT_MS);
        ServingException gone = new ServingException(503, "InternalServerException", "gone");

        CompletableFuture<Response> result =
                version.submit(request("one two three four"), answer -> CompletableFuture.failedFuture(gone));
        fixture.gate.open();

        assertEquals(gone, failure(result));
        await("the handler told to stop", () -> sendResults.contains(false));
        assertEquals(List.of(false), sendResults, "told at its first answer");
        assertEquals(
                "b",
                answer(version.submit(request("a b"), new Recording())).json().orElseThrow());
    }

    @Test
    void aCallerThatTakesOneAnswerGetsTheFinalOneOnly() throws Exception {
        ModelVersion version = streaming(WAIT_MS);
        fixture.gate.open();

        assertEquals(
                "three", answer(version.submit(request("one two three"))).json().orElseThrow());
        assertEquals(List.of(true, true), sendResults, "the intermediate answers were dropped, not refused");
    }
}
