package dev.serval.serving;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Handlers for tests of the serving core, and a source of them that records what it hands out
 * and gets back.
 */
final class TestHandlers {

    private TestHandlers() {}

    /**
     * A point where handler threads stop until the test opens it, telling the test who arrived.
     * Opened, it lets everyone through.
     */
    static final class Gate {

        private final CountDownLatch open = new CountDownLatch(1);
        private final Semaphore arrived = new Semaphore(0);

        void pass() throws InterruptedException {
            arrived.release();
            open.await();
        }

        void open() {
            open.countDown();
        }

        /** @return whether {@code count} threads arrived within {@link FakeModels#WAIT_MS} */
        boolean awaitArrivals(int count) throws InterruptedException {
            return arrived.tryAcquire(count, FakeModels.WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** What a handler instance does besides echoing: where it stops, what it throws. */
    interface Behaviour {

        /** @param instance the handler's number within its source, from 1 */
        default void initialize(int instance) throws Exception {}

        /** @param instance the handler's number within its source, from 1 */
        default void handle(int instance) throws Exception {}
    }

    /** @return handlers whose initialize waits at {@code gate} */
    static Behaviour initializingAt(Gate gate) {
        return new Behaviour() {
            @Override
            public void initialize(int instance) throws InterruptedException {
                gate.pass();
            }
        };
    }

    /** @return handlers whose every call waits at {@code gate} */
    static Behaviour handlingAt(Gate gate) {
        return new Behaviour() {
            @Override
            public void handle(int instance) throws InterruptedException {
                gate.pass();
            }
        };
    }

    /** @return handlers of which the first instance's calls wait at {@code gate}, the others' do not */
    static Behaviour firstHandlingAt(Gate gate) {
        return new Behaviour() {
            @Override
            public void handle(int instance) throws InterruptedException {
                if (instance == 1) {
                    gate.pass();
                }
            }
        };
    }

    /**
     * Answers each request with its body, the size of the batch it came in, and which handler
     * instance answered: {@code {"body": "a", "batch": 2, "handler": "A1"}}.
     */
    static final class EchoHandler implements Handler {

        private final String label;
        private final int instance;
        private final Behaviour behaviour;
        volatile boolean initialized;
        volatile boolean closed;

        EchoHandler(String label, int instance, Behaviour behaviour) {
            this.label = label;
            this.instance = instance;
            this.behaviour = behaviour;
        }

        @Override
        public void initialize(Context context) throws Exception {
            behaviour.initialize(instance);
            initialized = true;
        }

        @Override
        public List<Response> handle(List<Request> batch, Context context) throws Exception {
            behaviour.handle(instance);
            return batch.stream()
                    .map(r -> Response.json(Map.of("body", r.bodyAsString(), "batch", batch.size(), "handler", name())))
                    .toList();
        }

        @Override
        public void close() {
            closed = true;
        }

        /** @return its label and number, as in its answers */
        String name() {
            return label + instance;
        }
    }

    /** Makes {@link EchoHandler}s, numbered from 1, and records every instance got and released. */
    static final class CountingSource implements HandlerSource {

        private final String label;
        private final Behaviour behaviour;
        final List<EchoHandler> got = new CopyOnWriteArrayList<>();
        final List<Handler> released = new CopyOnWriteArrayList<>();

        /**
         * @param label the start of its handlers' names
         * @param behaviour what they do
         */
        CountingSource(String label, Behaviour behaviour) {
            this.label = label;
            this.behaviour = behaviour;
        }

        /** @param label the start of its handlers' names, which only echo */
        CountingSource(String label) {
            this(label, new Behaviour() {});
        }

        @Override
        public synchronized Handler get() {
            EchoHandler handler = new EchoHandler(label, got.size() + 1, behaviour);
            got.add(handler);
            return handler;
        }

        @Override
        public void release(Handler handler) {
            released.add(handler);
        }

        /** @return whether every instance got was closed and released, once each */
        boolean allReturned() {
            return released.size() == got.size() && got.stream().allMatch(h -> h.closed && released.contains(h));
        }
    }

    /** @return what an answer of an {@link EchoHandler} says under {@code key} */
    static Object field(Response response, String key) {
        return ((Map<?, ?>) response.json().orElseThrow()).get(key);
    }
}
