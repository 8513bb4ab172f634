package dev.serval.serving;

import static dev.serval.serving.FakeModels.WAIT_MS;
import static dev.serval.serving.FakeModels.answer;
import static dev.serval.serving.FakeModels.assertNoWorkerThreads;
import static dev.serval.serving.FakeModels.await;
import static dev.serval.serving.FakeModels.failure;
import static dev.serval.serving.FakeModels.request;
import static dev.serval.serving.FakeModels.settings;
import static dev.serval.serving.TestHandlers.field;
import static dev.serval.serving.TestHandlers.handlingAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Response;
import dev.serval.serving.TestHandlers.CountingSource;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a version admits, how long it lets a request wait, and how it drains when closed. */
class ModelVersionAdmissionTest {

    @RegisterExtension
    final ServingFixture fixture = new ServingFixture();

    @Test
    void aFullQueueAnswers503WithItsSize() throws InterruptedException {
        ModelVersion version =
                fixture.serving(settings(1, 1, 0, WAIT_MS, 2), new CountingSource("A", handlingAt(fixture.gate)));
        CompletableFuture<Response> running = version.submit(request("running"));
        assertTrue(fixture.gate.awaitArrivals(1));
        List<CompletableFuture<Response>> queued =
                List.of(version.submit(request("q1")), version.submit(request("q2")));
        assertEquals(0, version.remainingCapacity());
        assertEquals(2, version.pendingJobs());

        ServingException full = failure(version.submit(request("refused")));
        assertEquals(503, full.status());
        assertEquals("ServiceUnavailableException", full.type());
        assertTrue(full.getMessage().contains("job queue of 2 requests is full"), full.getMessage());

        fixture.gate.open();
        assertEquals("running", field(answer(running), "body"));
        assertEquals("q1", field(answer(queued.get(0)), "body"));
        assertEquals("q2", field(answer(queued.get(1)), "body"));
    }

    @Test
    void aRequestNotAnsweredWithinTheResponseTimeoutGets504() throws InterruptedException {
        ModelVersion version =
                fixture.serving(settings(1, 1, 0, 200, 10), new CountingSource("A", handlingAt(fixture.gate)));
        long start = System.nanoTime();
        // The first is held in the handler call, the other waits in the queue behind it.
        CompletableFuture<Response> first = version.submit(request("first"));
        CompletableFuture<Response> queued = version.submit(request("queued"));

        for (CompletableFuture<Response> result : List.of(first, queued)) {
            ServingException e = failure(result);
            assertEquals(504, e.status());
            assertEquals("ResponseTimeoutException", e.type());
            assertTrue(e.getMessage().contains("did not answer within its responseTimeout"), e.getMessage());
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 190, "timed out after " + tookMs + " ms, before the response timeout of 200 ms");
    }

    @Test
    void aForwardPassRunsOnAWorkerWithItsPredictor() throws InterruptedException {
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), new CountingSource("A"));

        Response response = answer(version.forward((model, predictor) -> Response.json(Map.of(
                "model",
                model.getName(),
                "predictor",
                String.valueOf(predictor),
                "thread",
                Thread.currentThread().getName()))));

        assertEquals(version.name(), field(response, "model"));
        assertEquals("null", field(response, "predictor"), "the fake model's predictor");
        assertTrue(
                field(response, "thread").toString().startsWith(fixture.model().workerThreadPrefix()));
        assertEquals(1, version.servedRequests());
    }

    @Test
    void closeAnswersTheQueuedRequestsBeforeTheWorkersStop() throws Exception {
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), source);
        List<CompletableFuture<Response>> accepted = IntStream.range(0, 3)
                .mapToObj(i -> version.submit(request("r" + i)))
                .toList();
        assertTrue(fixture.gate.awaitArrivals(1));

        CompletableFuture<Void> closed = CompletableFuture.runAsync(version::close);
        await("the version stops taking requests", () -> version.status() == ModelVersion.Status.STOPPED);
        ServingException refused = failure(version.submit(request("late")));
        assertEquals(503, refused.status());
        assertTrue(refused.getMessage().contains("is being unloaded"), refused.getMessage());
        assertFalse(closed.isDone(), "closed while requests were queued");
        assertEquals(0, fixture.model().closes().get(), "the model unloaded under its workers");

        fixture.gate.open();
        closed.get(WAIT_MS, TimeUnit.MILLISECONDS);

        for (int i = 0; i < accepted.size(); i++) {
            assertEquals("r" + i, field(answer(accepted.get(i)), "body"));
        }
        assertEquals(ModelVersion.Status.STOPPED, version.status());
        assertFalse(version.ready());
        assertFalse(version.hasMinimumWorkers());
        assertEquals(1, fixture.model().closes().get());
        assertTrue(Files.notExists(fixture.model().extracted()), "the extracted folder is removed");
        assertTrue(source.allReturned());
        assertNoWorkerThreads(fixture.model());

        version.close();
        assertEquals(1, fixture.model().closes().get(), "a second close does nothing");
    }
}
