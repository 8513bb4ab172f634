package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.metrics.Metrics;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's three listeners, each with its routes and options: inference (TorchServe's and
 * KServe's v2), management (with the shell, and the token API when keys are on) and metrics.
 *
 * @param inference the inference listener
 * @param management the management listener
 * @param metrics the metrics listener
 * @param answers the inference listener's answers, which a stop whose grace period is over gives up
 */
public record Listeners(ApiServer inference, ApiServer management, ApiServer metrics, Answers answers)
        implements AutoCloseable {

    /** How long the 503s of the requests abandoned have to be sent before the stop closes the connections. */
    private static final Duration SEND_ABANDONED = Duration.ofSeconds(2);

    /**
     * @param config the addresses and limits
     * @param sockets the addresses' sockets, bound at start
     * @param registry the models served
     * @param manager the models managed
     * @param metrics the server's metrics
     * @param keys the keys requests must carry, when token authorization is on
     * @param shell the framework's shell, while its bundle is active
     * @return the started listeners
     */
    public static Listeners start(ServerConfig config, ListenerSockets sockets, Catalog registry,
            ModelManager manager, Metrics metrics, Optional<Keys> keys, Supplier<Optional<CommandShell>> shell) {
        HttpOptions counted = HttpOptions.of(config, metrics.requests()::answered);
        // One reader for both APIs of the listener: their bodies share max_buffered_request_bytes.
        Answers answers = new Answers(new BodyReader(config.maxRequestSize(), config.maxBufferedRequestBytes(),
                config.minDataRate()), config.maxResponseSize());
        ApiServer inference = ApiServer.start("Inference", config.inferenceAddress(), sockets.inference(),
                keys.map(k -> counted.requiring(k, Keys.Kind.INFERENCE, openInferencePaths())).orElse(counted),
                new InferenceApi(registry, manager::health, answers)
                        .andThen(new KServeApi(registry, manager::health, answers)));
        Consumer<Javalin> managementRoutes = new ManagementApi(new ManagementCalls(manager, config.modelApiEnabled()))
                .andThen(new ShellApi(shell, config.remoteShell(), config.modelApiEnabled()));
        ApiServer management = ApiServer.start("Management", config.managementAddress(), sockets.management(),
                keys.map(k -> counted.requiring(k, Keys.Kind.MANAGEMENT, TokenApi.OPEN_PATHS)).orElse(counted),
                keys.map(k -> managementRoutes.andThen(new TokenApi(k))).orElse(managementRoutes));
        // Scrapes are not API requests: TorchServe's Requests2XX counts inference and management only.
        ApiServer metricsServer = ApiServer.start("Metrics", config.metricsAddress(), sockets.metrics(),
                HttpOptions.of(config, status -> { }), new MetricsApi(metrics));
        return new Listeners(inference, management, metricsServer, answers);
    }

    /**
     * Begins the stop of every listener ({@link ApiServer#drain}).
     *
     * @return completed once every request taken is answered
     */
    public CompletableFuture<Void> drain() {
        return CompletableFuture.allOf(inference.drain(), management.drain(), metrics.drain());
    }

    /**
     * Gives up the requests still unanswered: those waiting for their body or their workers are
     * answered 503, and their answers given a moment to be sent.
     *
     * @return how many requests were unanswered
     */
    public int abandon() throws InterruptedException {
        int unanswered = inference.inFlight() + management.inFlight() + metrics.inFlight();
        answers.abandon();
        try {
            drain().get(SEND_ABANDONED.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Those still unanswered (a handler busy past its 503, a slow client) are cut by the stop.
        }
        return unanswered;
    }

    private static Set<String> openInferencePaths() {
        Set<String> open = new HashSet<>(InferenceApi.OPEN_PATHS);
        open.addAll(KServeApi.OPEN_PATHS);
        return open;
    }

    @Override
    public void close() {
        inference.close();
        management.close();
        metrics.close();
    }
}
