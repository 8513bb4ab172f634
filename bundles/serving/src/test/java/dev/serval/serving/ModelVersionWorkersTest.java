package dev.serval.serving;

import static dev.serval.serving.FakeModels.WAIT_MS;
import static dev.serval.serving.FakeModels.answer;
import static dev.serval.serving.FakeModels.assertNoWorkerThreads;
import static dev.serval.serving.FakeModels.await;
import static dev.serval.serving.FakeModels.failure;
import static dev.serval.serving.FakeModels.request;
import static dev.serval.serving.FakeModels.settings;
import static dev.serval.serving.TestHandlers.field;
import static dev.serval.serving.TestHandlers.firstHandlingAt;
import static dev.serval.serving.TestHandlers.handlingAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Response;
import dev.serval.serving.TestHandlers.CountingSource;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's workers: scaled, replaced when stuck or dead. */
class ModelVersionWorkersTest {

    @TempDir
    Path root;
    private FakeModels.Fixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new FakeModels.Fixture(root);
    }

    @AfterEach
    void closeVersions() {
        fixture.close();
    }

    @Test
    void scalingUpStartsWorkersWithTheirOwnHandlers() throws InterruptedException {
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10));
        CountingSource source = new CountingSource("A");
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));

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
        ModelVersion version = fixture.version(settings(3, 1, 0, WAIT_MS, 10));
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));
        List<CompletableFuture<Response>> held = IntStream.range(0, 3).mapToObj(i -> version.submit(request("r" + i)))
                .toList();
        assertTrue(fixture.gate.awaitArrivals(3));

        CompletableFuture<Void> scaled = CompletableFuture.runAsync(() -> version.scale(1, 4));
        await("two workers leave the pool", () -> version.workers().size() == 1);
        assertTrue(source.released.isEmpty(), "a worker stopped in the middle of its batch");
        fixture.gate.open();
        scaled.get(WAIT_MS, TimeUnit.MILLISECONDS);

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
        ModelVersion version = fixture.version(settings(1, 1, 0, 60_000, 10));
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));
        CompletableFuture<Response> running = version.submit(request("running"));
        assertTrue(fixture.gate.awaitArrivals(1));
        CompletableFuture<Response> queued = version.submit(request("queued"));

        CompletableFuture<Void> scaled = CompletableFuture.runAsync(() -> version.scale(0, 4));
        await("the worker leaves the pool", () -> version.workers().isEmpty());
        fixture.gate.open();
        scaled.get(WAIT_MS, TimeUnit.MILLISECONDS);

        assertEquals("running", field(answer(running), "body"));
        // The worker told to stop may or may not have taken the queued request after its batch;
        // either way it is answered now, not at its response timeout.
        assertTrue(queued.handle((response, failure) -> response != null || isNoWorker(failure))
                .get(WAIT_MS, TimeUnit.MILLISECONDS), "queued request answered");
        assertTrue(isNoWorker(failure(version.submit(request("later")))));
        assertTrue(source.allReturned());
        assertEquals(ModelVersion.Status.READY, version.status());
        assertFalse(version.ready(), "no request would be answered");
        assertTrue(version.hasMinimumWorkers(), "as many as the operator asked for");

        version.scale(1, 4);
        assertTrue(version.awaitWorkers(WAIT_MS));
        assertEquals("back", field(answer(version.submit(request("back"))), "body"));
    }

    private static boolean isNoWorker(Throwable failure) {
        return failure instanceof ServingException e && e.status() == 503 && e.getMessage().contains("has no worker");
    }

    @Test
    void aClosedVersionIsNotFoundWhenScaled() {
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10));
        version.close();

        ServingException e = assertThrows(ServingException.class, () -> version.scale(2, 2));
        assertEquals(404, e.status());
        assertEquals("ModelVersionNotFoundException", e.type());
        assertEquals(404, assertThrows(ServingException.class, () -> version.awaitWorkers(WAIT_MS)).status());
    }

    @Test
    void aWorkerStuckPastTheResponseTimeoutIsReplaced() throws InterruptedException {
        ModelVersion version = fixture.version(settings(1, 1, 0, 300, 10));
        CountingSource source = new CountingSource("A", firstHandlingAt(fixture.gate));
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));

        CompletableFuture<Response> stuck = version.submit(request("stuck"));
        assertTrue(fixture.gate.awaitArrivals(1));
        ServingException e = failure(stuck);
        assertEquals(504, e.status());
        assertTrue(e.getMessage().contains("did not answer within its responseTimeout"), e.getMessage());

        await("a fresh worker takes the stuck one's place", () -> source.got.size() == 2 && version.readyWorkers() == 1);
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
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10));
        CountingSource source = new CountingSource("A");
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));
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
        assertEquals(List.of(source.got.get(0)), source.released);
        assertTrue(source.got.get(0).closed);
        assertEquals(ModelVersion.Status.READY, version.status());
    }

    @Test
    void noWorkerThreadOutlivesClose() throws InterruptedException {
        ModelVersion version = fixture.version(settings(2, 1, 0, WAIT_MS, 10));
        CountingSource source = new CountingSource("A");
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));
        version.scale(4, 4);
        assertTrue(version.awaitWorkers(WAIT_MS));
        version.scale(3, 4);
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith(fixture.model().workerThreadPrefix())), "the prefix names them");

        version.close();

        assertNoWorkerThreads(fixture.model());
        assertEquals(4, source.got.size());
        assertTrue(source.allReturned());
    }
}
