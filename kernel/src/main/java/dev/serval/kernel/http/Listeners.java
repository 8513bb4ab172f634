package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
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
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's three listeners, each with its routes and options: inference (TorchServe's and
 * KServe's v2), management (with the shell, the web console, and the token API when keys are on)
 * and metrics.
 *
 * @param inference the inference listener
 * @param management the management listener
 * @param metrics the metrics listener
 */
public record Listeners(ApiServer inference, ApiServer management, ApiServer metrics) implements AutoCloseable {

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
        Address inferenceAt = bound(config.inferenceAddress(), sockets.inference());
        Address managementAt = bound(config.managementAddress(), sockets.management());
        ApiServer inference = ApiServer.start("Inference", config.inferenceAddress(), sockets.inference(),
                keys.map(k -> counted.requiring(k, Keys.Kind.INFERENCE, openInferencePaths())).orElse(counted)
                        .callableFrom(managementAt),
                new InferenceApi(registry, manager::health, answers)
                        .andThen(new KServeApi(registry, manager::health, answers)));
        Consumer<Javalin> managementRoutes = new ManagementApi(new ManagementCalls(manager, config.modelApiEnabled()))
                .andThen(new ShellApi(shell, config.remoteShell(), config.modelApiEnabled()))
                .andThen(new ConsoleApi(inferenceAt, keys.isPresent(), config.modelApiEnabled(),
                        new ModelStore(config.modelStore()), metrics, ServerLog.current()))
                .andThen(new DeployApi(config.deployDir(), config.modelApiEnabled(), new BodyReader(
                        config.maxRequestSize(), config.maxBufferedRequestBytes(), config.minDataRate())));
        ApiServer management = ApiServer.start("Management", config.managementAddress(), sockets.management(),
                keys.map(k -> counted.requiring(k, Keys.Kind.MANAGEMENT, TokenApi.OPEN_PATHS)).orElse(counted)
                        .serving(new ConsoleAssets(inferenceAt.https() ? "https" : "http", inferenceAt.port())),
                keys.map(k -> managementRoutes.andThen(new TokenApi(k))).orElse(managementRoutes));
        // Scrapes are not API requests: TorchServe's Requests2XX counts inference and management only.
        ApiServer metricsServer = ApiServer.start("Metrics", config.metricsAddress(), sockets.metrics(),
                HttpOptions.of(config, status -> { }), new MetricsApi(metrics));
        return new Listeners(inference, management, metricsServer);
    }

    /** @return the address with the port its socket is bound to (a free one for port 0) */
    private static Address bound(Address address, ServerSocketChannel socket) {
        try {
            return new Address(address.host(), ((InetSocketAddress) socket.getLocalAddress()).getPort(), address.https());
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
        inference.close();
        management.close();
        metrics.close();
    }
}
