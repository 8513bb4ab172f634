package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.catalog.Source;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * Handlers that fail in every way a handler can: throwing, running out of memory, hanging, or
 * failing to initialize. Each request gets a clear error, the worker lives on or is replaced,
 * and the other requests and models are served.
 */
class FaultyHandlersIT {

    private static final long RESPONSE_TIMEOUT_S = 2;

    @TempDir
    static Path work;

    private static InFramework osgi;
    private static final CountDownLatch RELEASE_HUNG = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        osgi = InFramework.start(work);
        register("faulty", FaultyHandler::new);
        register("broken_init", BrokenInitHandler::new);
        osgi.manager
                .register(
                        "digits",
                        new LoadOptions(Optional.of("faulty"), Optional.of("faulty"), Map.of("responseTimeout", (int)
                                RESPONSE_TIMEOUT_S)),
                        Source.Kind.REGISTER_CALL)
                .awaitWorkers(10_000);
        osgi.manager.register(
                "digits",
                new LoadOptions(Optional.of("broken"), Optional.of("broken_init"), Map.of()),
                Source.Kind.REGISTER_CALL);
    }

    @AfterAll
    static void stop() throws Exception {
        RELEASE_HUNG.countDown();
        osgi.close();
    }

    @Test
    void aHandlerThatThrowsFailsOnlyThatRequest() throws Exception {
        assertFails("boom", 503, "Prediction failed");
        assertEquals("ok", answer("ok"));
    }

    @Test
    void badInputIsTheHandlersOwn400() throws Exception {
        assertFails("bad", 400, "bad input");
        assertEquals("ok", answer("ok"));
    }

    @Test
    void outOfMemoryIsA507AndTheModelRecovers() throws Exception {
        assertFails("oom", 507, "Out of memory");
        assertEquals("ok", answer("ok"));
    }

    @Test
    void aFailureOutsideTheHandlersErrorHandlingFailsItsRequestAndReplacesTheWorker() throws Exception {
        ModelVersion faulty = osgi.catalog.resolve("faulty", Optional.empty());
        String before = faulty.workers().get(0).id();

        assertFails("oom while failing", 507, "Out of memory");

        assertEquals("ok", answer("ok"), "a fresh worker serves");
        assertEquals(ModelVersion.Status.READY, faulty.status());
        assertFalse(faulty.workers().get(0).id().equals(before), "the worker was replaced");
    }

    @Test
    void aHungHandlerTimesOutAndItsWorkerIsReplaced() throws Exception {
        long start = System.nanoTime();
        assertFails("hang", 504, "did not answer within its responseTimeout");
        assertTrue(System.nanoTime() - start >= RESPONSE_TIMEOUT_S * 1_000_000_000L);

        assertEquals("ok", answer("ok"), "a new worker serves while the old one is stuck");
        ModelVersion faulty = osgi.catalog.resolve("faulty", Optional.empty());
        assertEquals(1, faulty.workers().size());
    }

    @Test
    void aHandlerThatCannotInitializeLeavesItsModelFailedAndOthersServing() throws Exception {
        ModelVersion broken = osgi.catalog.resolve("broken", Optional.empty());
        assertFalse(broken.awaitWorkers(10_000), "its worker never becomes ready");
        assertEquals(ModelVersion.Status.FAILED, broken.status());
        ServingException e = failure(osgi.catalog.resolve("broken", Optional.empty()), "ok");
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("no vocabulary today"), e.getMessage());
        assertEquals("ok", answer("ok"));
    }

    private static String answer(String body) throws Exception {
        return osgi.predict("faulty", body.getBytes()).json().orElseThrow().toString();
    }

    private static void assertFails(String body, int status, String message) throws Exception {
        ServingException e = failure(osgi.catalog.resolve("faulty", Optional.empty()), body);
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static ServingException failure(ModelVersion version, String body) throws Exception {
        try {
            version.submit(Request.builder(body.getBytes()).build()).get();
        } catch (ExecutionException e) {
            return (ServingException) e.getCause();
        }
        throw new AssertionError("request '" + body + "' did not fail");
    }

    private interface Factory {
        Handler create();
    }

    private static void register(String name, Factory factory) {
        osgi.context()
                .registerService(
                        Handler.class.getName(),
                        new PrototypeServiceFactory<Handler>() {
                            @Override
                            public Handler getService(Bundle bundle, ServiceRegistration<Handler> registration) {
                                return factory.create();
                            }

                            @Override
                            public void ungetService(
                                    Bundle bundle, ServiceRegistration<Handler> registration, Handler service) {}
                        },
                        new Hashtable<>(Map.of(Handler.NAME, name)));
    }

    /** Does what the request body says. */
    private static final class FaultyHandler implements Handler {
        @Override
        public void initialize(Context context) {}

        @Override
        public List<Response> handle(List<Request> batch, Context context) throws Exception {
            String body = batch.get(0).bodyAsString();
            switch (body) {
                case "boom" -> throw new IllegalStateException("a handler bug");
                case "bad" -> throw HandlerException.badRequest("bad input");
                case "oom" -> throw new OutOfMemoryError("Java heap space");
                case "oom while failing" -> throw new UnreadableError();
                case "hang" -> {
                    while (RELEASE_HUNG.getCount() > 0) {
                        try {
                            RELEASE_HUNG.await();
                        } catch (InterruptedException e) {
                            // A hung handler ignores interruption, as stuck native code would.
                        }
                    }
                    return List.of(Response.json("released"));
                }
                default -> {
                    return List.of(Response.json(body));
                }
            }
        }
    }

    /** An error whose message cannot be read: memory runs out while the worker handles it. */
    private static final class UnreadableError extends Error {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    /** Cannot start. */
    private static final class BrokenInitHandler implements Handler {
        @Override
        public void initialize(Context context) {
            throw new IllegalStateException("no vocabulary today");
        }

        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            throw new AssertionError("never initialized");
        }
    }
}
