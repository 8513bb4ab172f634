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
import static dev.serval.serving.TestHandlers.handlingAt;
import static dev.serval.serving.TestHandlers.initializingAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Response;
import dev.serval.serving.TestHandlers.Behaviour;
import dev.serval.serving.TestHandlers.CountingSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A version bound to a handler source, unbound from it and bound to another. */
class ModelVersionBindingTest {

    @RegisterExtension
    final ServingFixture fixture = new ServingFixture();

    @Test
    void bindStartsTheMinimumWorkersEachWithItsOwnHandler() throws InterruptedException {
        ModelVersion version = fixture.version(settings(3, 1, 0, WAIT_MS, 10));
        assertEquals(ModelVersion.Status.WAITING_FOR_HANDLER, version.status());
        ServingException unbound = failure(version.submit(request("early")));
        assertEquals(503, unbound.status());
        assertTrue(unbound.getMessage().contains("needs handler 'fake_handler'"), unbound.getMessage());

        CountingSource source = new CountingSource("A", initializingAt(fixture.gate));
        version.bind(source);
        assertTrue(fixture.gate.awaitArrivals(3));
        assertEquals(ModelVersion.Status.STARTING, version.status());
        assertFalse(version.ready());
        fixture.gate.open();

        assertTrue(version.awaitWorkers(WAIT_MS));
        assertEquals(ModelVersion.Status.READY, version.status());
        assertTrue(version.ready());
        assertTrue(version.hasMinimumWorkers());
        assertEquals(3, version.workers().size());
        assertTrue(
                version.workers().stream().allMatch(w -> w.status() == ModelVersion.WorkerInfo.Status.READY),
                version.workers().toString());
        assertEquals(3, source.got.size());
        assertEquals(3, new HashSet<>(source.got).size(), "one instance per worker");
        assertTrue(source.got.stream().allMatch(h -> h.initialized));

        List<CompletableFuture<Response>> results = IntStream.range(0, 9)
                .mapToObj(i -> version.submit(request("r" + i)))
                .toList();
        for (int i = 0; i < results.size(); i++) {
            assertEquals("r" + i, field(answer(results.get(i)), "body"));
        }
        assertEquals(9, version.servedRequests());
        assertEquals(3, source.got.size(), "no handler instance beyond the workers'");
    }

    @Test
    void queuedRequestsAreBatchedUpToBatchSize() throws InterruptedException {
        ModelVersion version = fixture.version(settings(1, 4, 200, WAIT_MS, 10));
        version.bind(new CountingSource("A", initializingAt(fixture.gate)));
        assertTrue(fixture.gate.awaitArrivals(1));
        List<CompletableFuture<Response>> results = IntStream.range(0, 6)
                .mapToObj(i -> version.submit(request("r" + i)))
                .toList();
        fixture.gate.open();

        List<Object> batches =
                results.stream().map(r -> field(answer(r), "batch")).toList();
        assertEquals(List.of(4, 4, 4, 4, 2, 2), batches);
        assertEquals(2, version.servedBatches());
        assertEquals(6, version.servedRequests());
    }

    @Test
    void aLoneRequestIsAnsweredWithoutWaitingForOthers() throws InterruptedException {
        ModelVersion version = fixture.serving(settings(1, 8, 2_000, WAIT_MS, 10), new CountingSource("A"));

        long start = System.nanoTime();
        assertEquals(1, field(answer(version.submit(request("alone"))), "batch"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 1_000, "answered after " + tookMs + " ms");
    }

    @Test
    void underTheFixedPolicyALoneRequestWaitsAtMostMaxBatchDelayForOthers() throws InterruptedException {
        ModelVersion version = fixture.serving(
                settings(1, 4, 150, WAIT_MS, 10).overriddenBy(Map.of("batchPolicy", "fixed")), new CountingSource("A"));

        long start = System.nanoTime();
        assertEquals(1, field(answer(version.submit(request("alone"))), "batch"));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 140 && tookMs < 2_000, "answered after " + tookMs + " ms");
    }

    @Test
    void unbindStopsTheWorkersAfterTheirBatchAndReleasesEveryHandler() throws Exception {
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        ModelVersion version = fixture.serving(settings(2, 1, 0, WAIT_MS, 10), source);
        List<CompletableFuture<Response>> held = List.of(version.submit(request("a")), version.submit(request("b")));
        assertTrue(fixture.gate.awaitArrivals(2));

        Thread unbinding = waitingIn(() -> version.unbind(source));
        assertTrue(source.released.isEmpty(), "a worker stopped in the middle of its batch");
        fixture.gate.open();
        assertEnds(unbinding);

        held.forEach(
                result -> assertTrue(field(answer(result), "handler").toString().startsWith("A")));
        assertEquals(2, source.got.size());
        assertTrue(source.allReturned(), "every handler closed and released");
        assertEquals(ModelVersion.Status.WAITING_FOR_HANDLER, version.status());
        assertEquals(0, version.readyWorkers());
        assertTrue(version.workers().isEmpty());
        assertNoWorkerThreads(fixture.model());
    }

    @Test
    void noRequestFailsAcrossAnUnbindAndABindToAnotherSource() throws Exception {
        CountingSource first = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(2, 2, 5, WAIT_MS, 1_000), first);

        List<CompletableFuture<Response>> results = new ArrayList<>();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 150; i++) {
                results.add(version.submit(request("r" + i)));
                sleep(2);
            }
        });
        Thread.sleep(20);
        version.unbind(first);
        assertEquals(ModelVersion.Status.WAITING_FOR_HANDLER, version.status());
        Thread.sleep(50);
        CountingSource second = new CountingSource("B");
        version.bind(second);
        load.get(WAIT_MS, TimeUnit.MILLISECONDS);

        List<String> handlers = results.stream()
                .map(r -> field(answer(r), "handler").toString())
                .toList();
        assertTrue(handlers.stream().anyMatch(h -> h.startsWith("A")), "served before the unbind");
        assertTrue(handlers.stream().anyMatch(h -> h.startsWith("B")), "served after the rebind");
        assertTrue(first.allReturned());
        assertEquals(ModelVersion.Status.READY, version.status());
    }

    @Test
    void withoutARebindQueuedRequestsFailAfterTheGrace() throws Exception {
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10), 300);
        CountingSource source = new CountingSource("A", handlingAt(fixture.gate));
        version.bind(source);
        assertTrue(version.awaitWorkers(WAIT_MS));
        CompletableFuture<Response> running = version.submit(request("running"));
        assertTrue(fixture.gate.awaitArrivals(1));
        CompletableFuture<Response> queued = version.submit(request("queued"));

        Thread unbinding = waitingIn(() -> version.unbind(source));
        fixture.gate.open();
        assertEnds(unbinding);
        long unboundAt = System.nanoTime();
        assertEquals("running", field(answer(running), "body"));
        CompletableFuture<Response> late = version.submit(request("late"));

        for (CompletableFuture<Response> result : List.of(queued, late)) {
            ServingException e = failure(result);
            assertEquals(503, e.status());
            assertTrue(
                    e.getMessage().contains("Handler 'fake_handler' of model " + version.name() + " is not available"),
                    e.getMessage());
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unboundAt);
        assertTrue(waitedMs >= 250, "failed after " + waitedMs + " ms, before the grace of 300 ms");
    }

    @Test
    void unbindOfAnotherSourceChangesNothing() throws InterruptedException {
        CountingSource bound = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(2, 1, 0, WAIT_MS, 10), bound);
        List<ModelVersion.WorkerInfo> workers = version.workers();

        CountingSource other = new CountingSource("B");
        version.unbind(other);
        version.bind(other);

        assertEquals(workers, version.workers());
        assertTrue(bound.released.isEmpty());
        assertTrue(other.got.isEmpty(), "a bound version keeps its source");
        assertEquals(ModelVersion.Status.READY, version.status());
        assertTrue(field(answer(version.submit(request("a"))), "handler")
                .toString()
                .startsWith("A"));
    }

    @Test
    void aHandlerFailingToInitializeFailsTheVersionWithItsReason() throws InterruptedException {
        ModelVersion version = fixture.version(settings(2, 1, 0, WAIT_MS, 10));
        CountingSource source = new CountingSource("A", new Behaviour() {
            @Override
            public void initialize(int instance) throws Exception {
                fixture.gate.pass();
                throw new IllegalStateException("no weights for handler " + instance);
            }
        });
        version.bind(source);
        assertTrue(fixture.gate.awaitArrivals(2));
        List<CompletableFuture<Response>> queued = List.of(version.submit(request("a")), version.submit(request("b")));
        fixture.gate.open();

        for (CompletableFuture<Response> result : queued) {
            ServingException e = failure(result);
            assertEquals(503, e.status());
            assertTrue(
                    e.getMessage().contains("failed to initialize")
                            && e.getMessage().contains("no weights"),
                    e.getMessage());
        }
        assertFalse(version.awaitWorkers(WAIT_MS));
        assertEquals(ModelVersion.Status.FAILED, version.status());
        assertFalse(version.hasMinimumWorkers());
        ServingException later = failure(version.submit(request("later")));
        assertTrue(later.getMessage().contains("no weights"), later.getMessage());
        await("both handlers closed and released", source::allReturned);
        assertEquals(2, source.got.size());

        version.unbind(source);
        version.bind(new CountingSource("B"));
        assertTrue(version.awaitWorkers(WAIT_MS), "a working handler bound later serves");
        assertTrue(field(answer(version.submit(request("c"))), "handler")
                .toString()
                .startsWith("B"));
    }

    @Test
    void aSourceThatCannotMakeAHandlerFailsTheVersionWithItsReason() throws InterruptedException {
        ModelVersion version = fixture.version(settings(1, 1, 0, WAIT_MS, 10));
        version.bind(HandlerSource.of(() -> {
            throw new IllegalStateException("bundle stopped");
        }));

        assertFalse(version.awaitWorkers(WAIT_MS));
        assertEquals(ModelVersion.Status.FAILED, version.status());
        ServingException e = failure(version.submit(request("a")));
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("could not be created: bundle stopped"), e.getMessage());
        assertNoWorkerThreads(fixture.model());
    }

    @Test
    void closeOfAnUnboundVersionFailsItsQueuedRequestsAtOnce() throws InterruptedException {
        CountingSource source = new CountingSource("A");
        ModelVersion version = fixture.serving(settings(1, 1, 0, WAIT_MS, 10), source);
        version.unbind(source);
        CompletableFuture<Response> queued = version.submit(request("queued"));

        long start = System.nanoTime();
        version.close();
        ServingException e = failure(queued);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < ModelVersion.HANDLER_GRACE_MS);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("was unloaded"), e.getMessage());
        assertEquals(1, fixture.model().closes().get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
