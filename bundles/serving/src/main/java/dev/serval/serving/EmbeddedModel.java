package dev.serval.serving;

import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A model served inside the application, with no server and no HTTP: a {@code .mar} or model
 * folder loaded as the server loads it, its requests queued and batched for its workers, each
 * running its own handler instance and predictor.
 *
 * <pre>{@code
 * try (EmbeddedModel model = EmbeddedModel.load(Path.of("digits.mar"), ImageClassifier::new)) {
 *     Response response = model.predict(Request.builder(png).build());
 *     Map<?, ?> top = (Map<?, ?>) response.json().orElseThrow();
 * }
 * }</pre>
 *
 * <p>It is served as the server would serve it: workers, batch size, batch delay and response
 * timeout come from the archive's {@code model-config.yaml} over the server's defaults (as many
 * workers as the cores allow), and {@link Builder} overrides them as a register call does. A
 * model is returned once its workers are READY, so the first request is answered; a handler
 * whose {@code initialize} throws fails the load instead. DJL runs offline, as in the server,
 * with its engines' native libraries unpacked once into {@link NativeCache#folder()}.
 *
 * <p>Requests may be submitted from any number of threads. What cannot be answered fails with a
 * {@link ServingException}, whose {@link ServingException#status() status} and
 * {@link ServingException#type() type} are those the server would answer with: the handler's
 * 400 for bad input, 503 when the queue is full, 504 past the response timeout.
 */
public final class EmbeddedModel implements AutoCloseable {

    private final ModelVersion version;
    private final Deadlines deadlines;

    private EmbeddedModel(ModelVersion version, Deadlines deadlines) {
        this.version = version;
        this.deadlines = deadlines;
    }

    /**
     * @param artifact a {@code .mar} (extracted into a temporary folder, removed on
     *     {@link #close()}) or a model folder (used in place)
     * @param handler makes one handler instance per worker, as {@code ImageClassifier::new} does
     * @return the model, its workers READY
     * @throws ModelLoadException when the server would refuse the artifact, or the handler cannot
     *     be initialized on it, saying why
     */
    public static EmbeddedModel load(Path artifact, Supplier<? extends Handler> handler) throws ModelLoadException {
        return builder(artifact).handler(handler).load();
    }

    /**
     * Loads a model with the handler its manifest names, found on the class path by that name:
     * any handler jar built as a Serval bundle (the built-in {@code serval-handlers-*} or one of
     * your own) declares it.
     *
     * @param artifact a {@code .mar} or a model folder
     * @return the model, its workers READY
     * @throws ModelLoadException when the server would refuse the artifact, no class on the
     *     class path is the handler it names, or that handler cannot be initialized on it
     */
    public static EmbeddedModel load(Path artifact) throws ModelLoadException {
        return builder(artifact).load();
    }

    /**
     * @param artifact a {@code .mar} or a model folder
     * @return a builder to choose the handler and override serving settings with
     */
    public static Builder builder(Path artifact) {
        return new Builder(artifact);
    }

    /**
     * Answers one request, waiting for it.
     *
     * @param request the input, as the server's {@code /predictions} would pass it on
     * @return the handler's response
     * @throws ServingException when it cannot be answered
     */
    public Response predict(Request request) {
        try {
            return submit(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ServingException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Queues a request; a worker answers it in a batch with others queued at the same time.
     *
     * @param request the input
     * @return its response, or a {@link ServingException} when it cannot be answered
     */
    public CompletableFuture<Response> submit(Request request) {
        return version.submit(Objects.requireNonNull(request, "request"));
    }

    /** @return the model's name, from its manifest */
    public String name() {
        return version.name();
    }

    /** @return the model's version, from its manifest */
    public String version() {
        return version.version();
    }

    /** @return DJL's name of the engine running the model: {@code PyTorch} or {@code OnnxRuntime} */
    public String engine() {
        return version.engine();
    }

    /** @return how it is served: workers, batch size, batch delay, response timeout */
    public ServingSettings settings() {
        return version.settings();
    }

    /** @return the folder holding the model's files: the folder given, or where a {@code .mar} was extracted */
    public Path modelDir() {
        return version.archive().dir();
    }

    /**
     * Lets queued requests finish (up to 30 s), stops the workers, closes the engine's model and
     * removes the folder a {@code .mar} was extracted into. Requests submitted after it fail
     * with a 503.
     */
    @Override
    public void close() {
        version.close();
        deadlines.close();
    }

    /** How to load and serve a model; what is not set comes from the archive, as on the server. */
    public static final class Builder {

        private final Path artifact;
        private final Map<String, Object> settings = new HashMap<>();
        private Supplier<? extends Handler> factory;
        private String handlerName;
        private Path cacheDir;

        private Builder(Path artifact) {
            this.artifact = Objects.requireNonNull(artifact, "artifact");
        }

        /**
         * @param factory makes one handler instance per worker, as {@code MyHandler::new} does;
         *     replaces a handler named before
         * @return this builder
         */
        public Builder handler(Supplier<? extends Handler> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            this.handlerName = null;
            return this;
        }

        /**
         * @param name a handler on the class path to serve the model with instead of the one its
         *     manifest names, such as {@code "hf_sequence_classifier"}; replaces a factory given before
         * @return this builder
         */
        public Builder handler(String name) {
            this.handlerName = Objects.requireNonNull(name, "name");
            this.factory = null;
            return this;
        }

        /**
         * @param count workers, each with its own handler instance and predictor
         *     ({@code minWorkers} and {@code maxWorkers})
         * @return this builder
         * @throws IllegalArgumentException when not from 1 to {@link ServingSettings#MAX_WORKERS}
         */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("An embedded model needs at least 1 worker, not " + count);
            }
            return set("minWorkers", count).set("maxWorkers", count);
        }

        /**
         * @param size the most requests one handler call receives ({@code batchSize})
         * @return this builder
         * @throws IllegalArgumentException when not from 1 to {@link ServingSettings#MAX_BATCH_SIZE}
         */
        public Builder batchSize(int size) {
            return set("batchSize", size);
        }

        /**
         * @param delay the longest a worker holding fewer than the batch size waits for more
         *     requests before running them ({@code maxBatchDelay}), as its batch policy counts it
         * @return this builder
         * @throws IllegalArgumentException when longer than {@link ServingSettings#MAX_BATCH_DELAY_MS}
         */
        public Builder maxBatchDelay(Duration delay) {
            return set("maxBatchDelay", delay.toMillis());
        }

        /**
         * @param policy whether a worker waits for more requests only while they keep arriving
         *     ({@link BatchPolicy#ADAPTIVE}, the default) or always up to the delay
         *     ({@link BatchPolicy#FIXED}, TorchServe's) ({@code batchPolicy})
         * @return this builder
         */
        public Builder batchPolicy(BatchPolicy policy) {
            return set("batchPolicy", policy.key());
        }

        /**
         * @param timeout how long a request may wait for its answer ({@code responseTimeout}),
         *     in whole seconds
         * @return this builder
         * @throws IllegalArgumentException when not from 1 s to {@link ServingSettings#MAX_RESPONSE_TIMEOUT_S}
         */
        public Builder responseTimeout(Duration timeout) {
            return set("responseTimeout", timeout.toSeconds());
        }

        /**
         * @param folder where the engines' native libraries are unpacked, instead of
         *     {@link NativeCache#folder()}; only the first model loaded in a JVM starts the engines
         * @return this builder
         */
        public Builder cacheDir(Path folder) {
            this.cacheDir = folder.toAbsolutePath();
            return this;
        }

        /** Checks the value against the server's ceilings now, rather than when loading. */
        private Builder set(String key, Object value) {
            ServingSettings.DEFAULTS.overriddenBy(Map.of(key, value));
            settings.put(key, value);
            return this;
        }

        /**
         * Loads the model and starts its workers.
         *
         * @return the model, its workers READY
         * @throws ModelLoadException when the server would refuse the artifact, the handler is
         *     not on the class path, or it cannot be initialized on the model within the model's
         *     {@code startupTimeout} (as on the server), saying why; nothing is left extracted or running
         */
        public EmbeddedModel load() throws ModelLoadException {
            Path cache = Optional.ofNullable(cacheDir).orElseGet(NativeCache::folder);
            try {
                Engines.initialize(cache);
            } catch (IOException e) {
                throw new ModelLoadException(
                        "Cannot unpack the engines' native libraries into " + cache + ": " + e.getMessage(), e);
            }
            int workers = Engines.defaultWorkers();
            Deadlines deadlines = new Deadlines();
            ModelLoader loader = new ModelLoader(
                    Path.of(System.getProperty("java.io.tmpdir")),
                    ServingSettings.DEFAULTS.withWorkers(workers, workers),
                    Map.of(),
                    deadlines);
            ModelVersion version;
            try {
                version = loader.load(
                        artifact, new LoadOptions(Optional.empty(), Optional.ofNullable(handlerName), settings));
            } catch (ModelLoadException | RuntimeException e) {
                deadlines.close();
                throw e;
            }
            try {
                version.bind(
                        factory != null
                                ? HandlerSource.of(factory)
                                : ClassPathHandlers.find(version.handlerName(), classLoader()));
                Optional<String> notStarted = version.awaitStartup();
                if (notStarted.isPresent()) {
                    throw new ModelLoadException("Model " + version.name() + " cannot be served: " + notStarted.get());
                }
                return new EmbeddedModel(version, deadlines);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                version.close();
                deadlines.close();
                throw new ModelLoadException("Interrupted while model " + version.name() + " started its workers", e);
            } catch (ModelLoadException | RuntimeException e) {
                version.close();
                deadlines.close();
                throw e;
            }
        }

        /** Application servers and fat jars load the application through the context class loader. */
        private static ClassLoader classLoader() {
            return Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                    .orElse(EmbeddedModel.class.getClassLoader());
        }
    }
}
