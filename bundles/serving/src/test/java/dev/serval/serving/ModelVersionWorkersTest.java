package dev.serval.serving;

import static dev.serval.serving.FakeModels.WAIT_MS;
import static dev.serval.serving.FakeModels.answer;
import static dev.serval.serving.FakeModels.assertEnds;
import static dev.serval.serving.FakeModels.assertNoWorkerThreads;
import static dev.serval.serving.FakeModels.await;
import static dev.serval.serving.FakeModels.failure;
import static dev.serval.serving.FakeModels.request;
import static dev.serval.serving.FakeModels.settings;
import static dev.serval.serving.FakeModels.waitingIn;
import static dev.serval.serving.TestHandlers.field;
import static dev.serval.serving.TestHandlers.firstHandlingAt;
import static dev.serval.serving.TestHandlers.handlingAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Context;
import dev.serval.sdk.Describable;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.TestHandlers.CountingSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A version's workers: scaled, replaced when stuck or dead. */
class ModelVersionWorkersTest {

    @RegisterExtension
    final ServingFixture fixture = new ServingFixture();

    /** A handler that describes itself with the thread it is asked on. */
    static final class Describing implements Handler, Describable {
        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            return batch.stream().map(r -> Response.json("ok")).toList();
        }

        @Override
        public Map<String, Object> describe(Context context) {
            return Map.of("thread", Thread.currentThread().getName());
        }
    }

    @Test
    void eachWorkerHasItsStartupTimeoutFromItsOwnStart() throws InterruptedException {
        CountingSource source = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), source);
        assertEquals(Optional.empty(), version.awaitStartup(), "120 s by default");

        ModelVersion none = fixture.serving(
                settings(1, 1, 0, WAIT_MS, 10).overriddenBy(Map.of("startupTimeout", 0)), new CountingSource("B"));
        // READY by now, but no worker starts in no time at all, as in TorchServe.
        assertTrue(none.awaitStartup().orElseThrow().contains("startupTimeout of 0 s"));
    }

    @Test
    void theHandlerDescribesItselfOnAWorkersThread() throws InterruptedException {
        ModelVersion describing = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), HandlerSource.of(Describing::new));
        Map<?, ?> description =
                (Map<?, ?>) answer(describing.describeHandler()).json().orElseThrow();
        assertTrue(description.get("thread").toString().startsWith("worker-"), description.toString());

        ModelVersion plain = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), new CountingSource("A"));
        assertEquals(Map.of(), answer(plain.describeHandler()).json().orElseThrow(), "no description of its own");
    }

    @Test
    void aDescriptionIsNoRequestToTheMetrics() throws InterruptedException {
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), HandlerSource.of(Describing::new));
        List<String> observed = new CopyOnWriteArrayList<>();
        version.observeWith(new ServingObserver() {
            @Override
            public void received() {
                observed.add("received");
            }

            @Override
            public void dequeued(long queuedNanos) {
                observed.add("dequeued");
            }

            @Override
            public void batchServed(int size, long nanos) {
                observed.add("served");
            }
        });

        answer(version.describeHandler());
        assertEquals(List.of(), observed, "a customized describe is no prediction");
        answer(version.submit(request("r")));
        assertEquals(List.of("received", "dequeued"), observed.subList(0, 2), "a prediction is observed");
    }

    @Test
    void scalingUpStartsWorkersWithTheirOwnHandlers() throws InterruptedException {
        CountingSource source = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), source);

        version.scale(3, 4);

        assertTrue(version.awaitWorkers(WAIT_MS));
        assertEquals(3, version.readyWorkers());
        assertEquals(3, source.got.size());
        assertEquals(3, version.settings().minWorkers());
        assertEquals(4, version.settings().maxWorkers());
        assertEquals("r", field(answer(version.submit(request("r"))), "body"));
    }

    @Test
    void aWorkerScaledDownFinishesItsBatchFirst() throws Exception {
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        ModelVersion version = fixture.serving(settings(3, 1, 0, WAIT_MS, 10), source);
        List<CompletableFuture<Response>> held = IntStream.range(0, 3)
                .mapToObj(i -> version.submit(request("r" + i)))
                .toList();
        assertTrue(fixture.gate.awaitArrivals(3));

        Thread scaling = waitingIn(() -> version.scale(1, 4));
        assertEquals(1, version.workers().size());
        assertTrue(source.released.isEmpty(), "a worker stopped in the middle of its batch");
        fixture.gate.open();
        assertEnds(scaling);

        for (int i = 0; i < held.size(); i++) {
            assertEquals("r" + i, field(answer(held.get(i)), "body"));
        }
        assertEquals(2, source.released.size());
        assertTrue(source.released.stream().allMatch(h -> ((TestHandlers.EchoHandler) h).closed));
        assertEquals(1, version.readyWorkers());
        assertEquals("after", field(answer(version.submit(request("after"))), "body"));
    }

    @Test
    void scaledToZeroItAnswersNoWorkerAndQueuedRequestsAreNotLeftWaiting() throws Exception {
        // A response timeout far beyond the test's waits: a request left in the queue would wait that long.
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        ModelVersion version = fixture.serving(settings(1, 1, 0, 60_000, 10), source);
        CompletableFuture<Response> running = version.submit(request("running"));
        assertTrue(fixture.gate.awaitArrivals(1));
        CompletableFuture<Response> queued = version.submit(request("queued"));

        Thread scaling = waitingIn(() -> version.scale(0, 4));
        fixture.gate.open();
        assertEnds(scaling);

        assertEquals("running", field(answer(running), "body"));
        for (CompletableFuture<Response> result : List.of(queued, version.submit(request("later")))) {
            ServingException e = failure(result);
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains("has no worker"), e.getMessage());
        }
        assertTrue(source.allReturned());
        assertEquals(ModelVersion.Status.READY, version.status());
        assertFalse(version.ready(), "no request would be answered");
        assertTrue(version.hasMinimumWorkers(), "as many as the operator asked for");

        version.scale(1, 4);
        assertTrue(version.awaitWorkers(WAIT_MS));
        assertEquals("back", field(answer(version.submit(request("back"))), "body"));
    }

    @Test
    void aClosedVersionIsNotFoundWhenScaled() {
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10));
        version.close();

        ServingException e = assertThrows(ServingException.class, () -> version.scale(2, 2));
        assertEquals(404, e.status());
        assertEquals("ModelVersionNotFoundException", e.type());
        assertEquals(
                404,
                assertThrows(ServingException.class, () -> version.awaitWorkers(WAIT_MS))
                        .status());
    }

    @Test
    void aWorkerStuckPastTheResponseTimeoutIsReplaced() throws InterruptedException {
        CountingSource source = new CountingSource("A", firstHandlingAt(fixture.gate));
        ModelVersion version = fixture.serving(settings(1, 1, 0, 300, 10), source);

        CompletableFuture<Response> stuck = version.submit(request("stuck"));
        assertTrue(fixture.gate.awaitArrivals(1));
        ServingException e = failure(stuck);
        assertEquals(504, e.status());
        assertTrue(e.getMessage().contains("did not answer within its responseTimeout"), e.getMessage());

        await(
                "a fresh worker takes the stuck one's place",
                () -> source.got.size() == 2 && version.readyWorkers() == 1);
        assertEquals("A2", field(answer(version.submit(request("later"))), "handler"));
        // The stuck worker was interrupted out of its call; it closes and gives back its handler.
        await("the stuck handler is closed and released", () -> source.released.contains(source.got.get(0)));
        assertTrue(source.got.get(0).closed);
        assertEquals(1, version.workers().size());

        version.close();
        assertNoWorkerThreads(fixture.model());
        assertTrue(source.allReturned());
    }

    @Test
    void aWorkerDyingOutsideItsHandlerCallIsReplaced() throws InterruptedException {
        CountingSource source = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), source);
        AtomicBoolean broken = new AtomicBoolean(true);
        version.observeWith(new ServingObserver() {
            @Override
            public void dequeued(long queuedNanos) {
                // Thrown on the worker's thread between taking a job and calling the handler.
                if (broken.getAndSet(false)) {
                    throw new Error("metrics broke");
                }
            }
        });

        ServingException e = failure(version.submit(request("lost")));
        assertEquals(500, e.status());
        assertEquals("Worker died.", e.getMessage());

        await("a fresh worker takes the dead one's place", () -> source.got.size() == 2 && version.readyWorkers() == 1);
        assertEquals("A2", field(answer(version.submit(request("later"))), "handler"));
        await("the dead worker's handler is closed and released", () -> source.released.contains(source.got.get(0)));
        assertTrue(source.got.get(0).closed);
        assertEquals(1, source.released.size());
        assertEquals(ModelVersion.Status.READY, version.status());
    }

    @Test
    void noWorkerThreadOutlivesClose() throws InterruptedException {
        CountingSource source = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(4, 1, 0, WAIT_MS, 10), source);
        version.scale(3, 4);
        assertEquals(
                3,
                Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive()
                                && t.getName().startsWith(fixture.model().workerThreadPrefix()))
                        .count(),
                "the prefix names the workers' threads, and a worker scaled down has ended");

        version.close();

        assertNoWorkerThreads(fixture.model());
        assertEquals(4, source.got.size());
        assertTrue(source.allReturned());
    }
}
