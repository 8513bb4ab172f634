package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Model versions of no engine, for tests of the serving core: the engine's model is a proxy of
 * DJL's {@link Model} that records {@code close} and gives workers a null predictor, and the
 * archive is an "extracted" folder of its own, which unloading must remove.
 */
final class FakeModels {

    /** Bounds every wait of a test: far above what any step takes, far below a hang. */
    static final long WAIT_MS = 5_000;

    private static final AtomicInteger NAMES = new AtomicInteger();

    private FakeModels() {}

    /**
     * A fake model loaded and not yet served.
     *
     * @param loaded the model, for a {@link ModelVersion}
     * @param closes how often its engine's model was closed
     */
    record FakeModel(LoadedModel loaded, AtomicInteger closes) {

        /** @return the folder its archive was extracted into */
        Path extracted() {
            return loaded.archive().dir();
        }

        /** @return the prefix of its workers' thread names */
        String workerThreadPrefix() {
            return "worker-" + loaded.name() + "-" + loaded.version() + "-";
        }
    }

    /**
     * @param root a temporary folder, under which the model's archive is "extracted"
     * @return a new fake model, named uniquely so that its worker threads are its own
     */
    static FakeModel model(Path root) {
        String name = "fake" + NAMES.incrementAndGet();
        Path extracted;
        try {
            extracted = Files.createDirectories(root.resolve(name + ".mar-extracted"));
            Files.writeString(extracted.resolve("model.pt"), "weights");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger closes = new AtomicInteger();
        Model model = proxy(Model.class, (proxy, method, args) -> switch (method.getName()) {
            case "close" -> {
                closes.incrementAndGet();
                yield null;
            }
            case "getName" -> name;
            // A null predictor: the worker's try-with-resources skips closing it.
            case "newPredictor" -> null;
            case "getNDManager" ->
                proxy(
                        NDManager.class,
                        (m, call, a) -> objectMethod(
                                m,
                                call.getName(),
                                a,
                                () -> call.getName().equals("getDevice") ? Device.cpu() : unsupported(call.getName())));
            default -> objectMethod(proxy, method.getName(), args, () -> unsupported(method.getName()));
        });
        ArchiveManifest manifest = new ArchiveManifest(
                name, "1.0", "model.pt", "fake_handler", Optional.empty(), Optional.empty(), Optional.empty());
        ModelArchive archive = new ModelArchive(root.resolve(name + ".mar"), extracted, manifest, ModelConfig.empty());
        return new FakeModel(
                new LoadedModel(
                        archive,
                        model,
                        "none",
                        Instant.now(),
                        Duration.ZERO,
                        Signature.of(model, archive.config().asMap())),
                closes);
    }

    /**
     * @param minWorkers workers to run
     * @param batchSize the most requests a handler call gets
     * @param maxBatchDelayMs how long a worker waits to fill a batch
     * @param responseTimeoutMs how long a request may wait for its answer
     * @param jobQueueSize requests that may wait
     * @return serving settings with these values
     */
    static ServingSettings settings(
            int minWorkers, int batchSize, long maxBatchDelayMs, long responseTimeoutMs, int jobQueueSize) {
        return new ServingSettings(
                minWorkers,
                Math.max(minWorkers, 4),
                batchSize,
                maxBatchDelayMs,
                BatchPolicy.ADAPTIVE,
                responseTimeoutMs,
                jobQueueSize,
                0,
                ServingSettings.DEFAULTS.startupTimeoutMs());
    }

    /** @return a request whose body is {@code text} */
    static Request request(String text) {
        return Request.builder(text.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** @return the answer, within {@link #WAIT_MS} */
    static Response answer(CompletableFuture<Response> result) {
        try {
            return result.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT_MS + " ms", e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }

    /** @return the failure the request was answered with, within {@link #WAIT_MS} */
    static ServingException failure(CompletableFuture<Response> result) {
        try {
            Response response = result.get(WAIT_MS, TimeUnit.MILLISECONDS);
            throw new AssertionError(
                    "answered instead of failed: " + response.json().orElse(response));
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT_MS + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServingException serving) {
                return serving;
            }
            throw new AssertionError("failed with " + e.getCause(), e.getCause());
        }
    }

    /** Waits up to {@link #WAIT_MS} for {@code condition}, failing the test when it does not come. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + WAIT_MS + " ms: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Runs {@code call} on a thread of its own, and returns once that thread waits with a time
     * limit: for a worker to stop, where the call is an unbind or a scale, once it has told the
     * worker to stop.
     *
     * @return the thread, to {@link #assertEnds}
     */
    static Thread waitingIn(Runnable call) {
        Thread thread = new Thread(call, "test-caller");
        thread.setDaemon(true);
        thread.start();
        await("the call waits for a worker", () -> thread.getState() == Thread.State.TIMED_WAITING);
        return thread;
    }

    /** Waits up to {@link #WAIT_MS} for {@code thread} to end, failing the test when it does not. */
    static void assertEnds(Thread thread) throws InterruptedException {
        thread.join(WAIT_MS);
        assertFalse(thread.isAlive(), "the call did not return within " + WAIT_MS + " ms");
    }

    /** Waits for every worker thread of {@code model} to end. */
    static void assertNoWorkerThreads(FakeModel model) {
        await(
                "the worker threads of " + model.loaded().name() + " end",
                () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && t.getName().startsWith(model.workerThreadPrefix())));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** Answers {@code equals}, {@code hashCode} and {@code toString} as an identity would; others by {@code other}. */
    private static Object objectMethod(Object proxy, String method, Object[] args, Callable<Object> other)
            throws Exception {
        return switch (method) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "fake " + proxy.getClass().getInterfaces()[0].getSimpleName();
            default -> other.call();
        };
    }

    private static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }
}
