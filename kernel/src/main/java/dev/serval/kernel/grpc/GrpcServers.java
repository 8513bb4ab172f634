package dev.serval.kernel.grpc;

import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.serving.DaemonThreads;
import inference.GRPCInferenceServiceGrpc;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.pytorch.serve.grpc.inference.InferenceAPIsServiceGrpc;
import org.pytorch.serve.grpc.management.ManagementAPIsServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TorchServe's two gRPC listeners, inference (with KServe's Open Inference Protocol and gRPC's
 * health service beside TorchServe's own, on one port as Triton serves them) and management, both
 * with server reflection, on Netty (grpc-netty-shaded) set up
 * here rather than by grpc-java's shared defaults: the event loops and the executors that run the
 * calls are the server's own, daemon threads, and all of them are stopped by {@link #close}, so
 * that a stopped server leaves no thread behind.
 */
public final class GrpcServers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcServers.class);

    /** How long a stop waits for the calls in progress before cancelling them. */
    private static final long GRACE_SECONDS = 5;

    /** Management calls block while a register or scale waits for workers: a few run at once. */
    private static final int MANAGEMENT_THREADS = 4;

    private final List<Server> servers;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<ExecutorService> executors;
    /** The calls begun and not yet ended, on either listener. */
    private final AtomicInteger openCalls = new AtomicInteger();

    private GrpcServers(
            List<Server> servers, EventLoopGroup boss, EventLoopGroup workers, List<ExecutorService> executors) {
        this.servers = servers;
        this.boss = boss;
        this.workers = workers;
        this.executors = executors;
    }

    /**
     * @param config the addresses ({@code grpc_*}), TLS, {@code max_request_size},
     *     {@code max_response_size}, {@code idle_timeout} and {@code enable_model_api}
     * @param catalog the models served
     * @param manager the models managed
     * @param keys the keys calls must carry, when token authorization is on
     * @return the started listeners; none when {@code enable_grpc=false}
     * @throws IOException when an address cannot be listened on, naming its key; none is left
     *     listening then
     */
    public static GrpcServers start(ServerConfig config, Catalog catalog, ModelManager manager, Optional<Keys> keys)
            throws IOException {
        if (!config.grpc().enabled()) {
            LOG.info("gRPC APIs off (enable_grpc=false)");
            return new GrpcServers(List.of(), null, null, List.of());
        }
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("serval-grpc-accept", true), NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("serval-grpc-io", true), NioIoHandler.newFactory());
        ExecutorService inferenceCalls =
                Executors.newFixedThreadPool(threads, DaemonThreads.numbered("serval-grpc-inference-"));
        ExecutorService managementCalls =
                Executors.newFixedThreadPool(MANAGEMENT_THREADS, DaemonThreads.numbered("serval-grpc-management-"));
        GrpcServers started =
                new GrpcServers(new ArrayList<>(), boss, workers, List.of(inferenceCalls, managementCalls));
        try {
            InferenceService inference =
                    new InferenceService(catalog, manager::health, config.maxResponseSize(), inferenceCalls);
            OipService openInference =
                    new OipService(catalog, manager::health, config.maxResponseSize(), inferenceCalls);
            HealthService health = new HealthService(
                    manager::health,
                    Set.of(
                            InferenceAPIsServiceGrpc.SERVICE_NAME,
                            GRPCInferenceServiceGrpc.SERVICE_NAME,
                            ManagementAPIsServiceGrpc.SERVICE_NAME));
            Set<String> open = new HashSet<>(OipService.OPEN);
            open.addAll(Set.of(InferenceService.PING, HealthService.CHECK));
            started.listen(
                    "grpc_inference_port",
                    "gRPC Inference",
                    config.grpc().inference(),
                    config,
                    inferenceCalls,
                    keys.map(k -> new TokenCheck(new KeyRule(k, Keys.Kind.INFERENCE, open))),
                    inference,
                    openInference,
                    health,
                    ProtoReflectionServiceV1.newInstance());
            started.listen(
                    "grpc_management_port",
                    "gRPC Management",
                    config.grpc().management(),
                    config,
                    managementCalls,
                    keys.map(k -> new TokenCheck(new KeyRule(k, Keys.Kind.MANAGEMENT, Set.of()))),
                    new ManagementService(new ManagementCalls(manager, config.modelApiEnabled())),
                    ProtoReflectionServiceV1.newInstance());
        } catch (IOException | RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * @param name the listener's name, for logs
     * @param tokens the key check every call passes first, when token authorization is on
     * @param services the listener's services
     */
    private void listen(
            String key,
            String name,
            Address address,
            ServerConfig config,
            ExecutorService calls,
            Optional<TokenCheck> tokens,
            BindableService... services)
            throws IOException {
        InetSocketAddress local = new InetSocketAddress(address.host(), address.port());
        if (local.isUnresolved()) {
            throw new IOException(
                    key + " " + address.host() + ":" + address.port() + ": unknown host " + address.host());
        }
        NettyServerBuilder builder = NettyServerBuilder.forAddress(local)
                .channelType(NioServerSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .executor(calls)
                // A larger message is refused RESOURCE_EXHAUSTED before it is buffered whole.
                .maxInboundMessageSize((int) Math.min(config.maxRequestSize(), Integer.MAX_VALUE))
                .maxConnectionIdle(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (config.grpc().tls()) {
            // ServerConfig refuses enable_grpc_ssl without a keystore.
            builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(
                            config.tls().orElseThrow().keyManagers()))
                    .build());
        }
        // The last interceptor runs first: every call is logged, a refused one too.
        List<ServerInterceptor> interceptors = new ArrayList<>();
        tokens.ifPresent(interceptors::add);
        interceptors.add(new CallLog(name, openCalls));
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptors));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new IOException(
                    key + " " + address.host() + ":" + address.port() + " cannot be listened on: " + e.getMessage(), e);
        }
        servers.add(server);
        LOG.info(
                "{} API listening on {}:{}{}",
                name,
                address.host(),
                port(server),
                config.grpc().tls() ? " (TLS)" : "");
    }

    private static int port(Server server) {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** @return the ports listened on, inference then management; none when gRPC is off */
    public List<Integer> ports() {
        return servers.stream().map(GrpcServers::port).toList();
    }

    /**
     * Begins the stop: the listening sockets are closed and new calls refused
     * ({@code UNAVAILABLE}); the calls in progress go on.
     */
    public void drain() {
        servers.forEach(Server::shutdown);
    }

    /**
     * @param deadline when to give up waiting, in {@link System#nanoTime()}'s time
     * @return whether every call in progress ended by then
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitDrained(long deadline) throws InterruptedException {
        for (Server server : servers) {
            if (!server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Cancels the calls still in progress; their clients hear {@code CANCELLED}.
     *
     * @return how many there were
     */
    public int abandon() {
        int open = openCalls.get();
        servers.forEach(Server::shutdownNow);
        return open;
    }

    /**
     * Stops accepting calls, lets those in progress finish for a few seconds, cancels the rest,
     * and stops the listeners' threads.
     */
    @Override
    public void close() {
        servers.forEach(Server::shutdown);
        try {
            for (Server server : servers) {
                if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
                    server.shutdownNow().awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            servers.forEach(Server::shutdownNow);
            Thread.currentThread().interrupt();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, GRACE_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, GRACE_SECONDS, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!servers.isEmpty()) {
            LOG.info("gRPC APIs stopped");
        }
    }
}
