package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.log.ServerLog;
import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.metrics.Metrics;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
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
 * KServe's v1 and v2), management (with the shell, the web console, and the token API when keys
 * are on) and metrics. When the inference and management addresses are one, both APIs are served
 * by one listener, as TorchServe serves them then ({@link ServerConfig#sharedListener()}).
 *
 * @param inference the inference listener
 * @param management the management listener: the inference one when they share an address
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
    public static Listeners start(
            ServerConfig config,
            ListenerSockets sockets,
            Catalog registry,
            ModelManager manager,
            Metrics metrics,
            Optional<Keys> keys,
            Supplier<Optional<CommandShell>> shell) {
        HttpOptions counted = HttpOptions.of(config, metrics.requests()::answered);
        // One reader for both APIs of the listener: their bodies share max_buffered_request_bytes.
        Answers answers = new Answers(
                new BodyReader(config.maxRequestSize(), config.maxBufferedRequestBytes(), config.minDataRate()),
                config.maxResponseSize());
        Address inferenceAt = bound(config.inferenceAddress(), sockets.inference());
        Address managementAt =
                config.sharedListener() ? inferenceAt : bound(config.managementAddress(), sockets.management());
        ApiRoutes inferenceApi = new ApiRoutes(
                new InferenceApi(registry, manager::health, answers)
                        .andThen(new KServeApi(registry, manager::health, answers))
                        .andThen(new KServeV1Api(registry, answers)),
                keys.map(k -> new KeyRule(k, Keys.Kind.INFERENCE, openInferencePaths())));
        Consumer<Javalin> managementRoutes = new ManagementApi(new ManagementCalls(manager, config.modelApiEnabled()))
                .andThen(new ShellApi(shell, config.remoteShell(), config.modelApiEnabled()))
                .andThen(new ConsoleApi(
                        inferenceAt,
                        keys.isPresent(),
                        config.modelApiEnabled(),
                        new ModelStore(config.modelStore()),
                        metrics,
                        ServerLog.current()))
                .andThen(new DeployApi(
                        config.deployDir(),
                        config.modelApiEnabled(),
                        new BodyReader(
                                config.maxRequestSize(), config.maxBufferedRequestBytes(), config.minDataRate())));
        ApiRoutes managementApi = new ApiRoutes(
                keys.map(k -> managementRoutes.andThen(new TokenApi(k))).orElse(managementRoutes),
                keys.map(k -> new KeyRule(k, Keys.Kind.MANAGEMENT, TokenApi.OPEN_PATHS)));
        HttpOptions withConsole =
                counted.serving(new ConsoleAssets(inferenceAt.https() ? "https" : "http", inferenceAt.port()));
        ApiServer inference;
        ApiServer management;
        if (config.sharedListener()) {
            // TorchServe's one listener for both (its KServe configuration): each route keeps its
            // API's key, and the console calls its own origin.
            inference = ApiServer.start(
                    "Inference and management",
                    config.inferenceAddress(),
                    sockets.inference(),
                    withConsole,
                    List.of(inferenceApi, managementApi));
            management = inference;
        } else {
            inference = ApiServer.start(
                    "Inference",
                    config.inferenceAddress(),
                    sockets.inference(),
                    counted.callableFrom(managementAt),
                    List.of(inferenceApi));
            management = ApiServer.start(
                    "Management",
                    config.managementAddress(),
                    sockets.management(),
                    withConsole,
                    List.of(managementApi));
        }
        // Scrapes are not API requests: TorchServe's Requests2XX counts inference and management only.
        ApiServer metricsServer = ApiServer.start(
                "Metrics",
                config.metricsAddress(),
                sockets.metrics(),
                HttpOptions.of(config, status -> {}),
                List.of(new ApiRoutes(new MetricsApi(metrics), Optional.empty())));
        return new Listeners(inference, management, metricsServer, answers);
    }

    /**
     * Begins the stop of every listener ({@link ApiServer#drain}).
     *
     * @return completed once every request taken is answered
     */
    public CompletableFuture<Void> drain() {
        return CompletableFuture.allOf(servers().stream().map(ApiServer::drain).toArray(CompletableFuture[]::new));
    }

    /**
     * Gives up the requests still unanswered: those waiting for their body or their workers are
     * answered 503, and their answers given a moment to be sent.
     *
     * @return how many requests were unanswered
     * @throws InterruptedException when interrupted while the 503s are sent
     */
    public int abandon() throws InterruptedException {
        int unanswered = servers().stream().mapToInt(ApiServer::inFlight).sum();
        answers.abandon();
        try {
            drain().get(SEND_ABANDONED.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Those still unanswered (a handler busy past its 503, a slow client) are cut by the stop.
        }
        return unanswered;
    }

    /** @return the listeners, each once: inference and management are one on a shared address */
    private List<ApiServer> servers() {
        return inference == management ? List.of(inference, metrics) : List.of(inference, management, metrics);
    }

    /** @return the address with the port its socket is bound to (a free one for port 0) */
    private static Address bound(Address address, ServerSocketChannel socket) {
        try {
            return new Address(
                    address.host(), ((InetSocketAddress) socket.getLocalAddress()).getPort(), address.https());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> openInferencePaths() {
        Set<String> open = new HashSet<>(InferenceApi.OPEN_PATHS);
        open.addAll(KServeApi.OPEN_PATHS);
        return open;
    }

    @Override
    public void close() {
        servers().forEach(ApiServer::close);
    }
}
