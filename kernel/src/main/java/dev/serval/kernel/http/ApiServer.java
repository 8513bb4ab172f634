package dev.serval.kernel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.auth.KeyRule;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.kserve.RestRequest;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the server's HTTP listeners (inference, management, both on one address, or metrics),
 * with TorchServe's error JSON for every failure, unknown routes included. Every request's
 * {@code Host} is checked first (on loopback, against DNS rebinding), and every WebSocket
 * upgrade's {@code Origin}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /**
     * Pretty-printed as TorchServe prints: {@code "key": value}, two-space indent; non-finite
     * numbers as {@code null} ({@link FiniteNumbers}). The gRPC APIs write their JSON with it too.
     */
    public static final ObjectMapper JSON = new ObjectMapper(
                    JsonFactory.builder().addDecorator(new FiniteNumbers()).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter(
                    Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private final String name;
    private final Javalin app;
    private final GracefulStop requests;

    private ApiServer(String name, Javalin app, GracefulStop requests) {
        this.name = name;
        this.app = app;
        this.requests = requests;
    }

    /**
     * @param name the listener's name, for logs
     * @param address where it listens: whether it speaks TLS
     * @param socket the socket bound to that address, which the server takes over
     * @param options limits and what every request goes through
     * @param apis the APIs it serves: one, or the inference and management APIs on one address
     * @return the started server
     * @throws IllegalStateException when two APIs have routes under one first path segment
     */
    static ApiServer start(
            String name, Address address, ServerSocketChannel socket, HttpOptions options, List<ApiRoutes> apis) {
        long maxRequestSize = options.maxRequestSize();
        GracefulStop requests = new GracefulStop();
        RequestStages stages = new RequestStages();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = maxRequestSize;
            config.jsonMapper(new JavalinJackson(JSON, false));
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // In place of the StatisticsHandler Javalin inserted; Javalin's routes go inside it.
                server.setHandler(requests);
                // The graceful part is drain(), which waits for the requests and not for the idle
                // connections; the stop that follows closes them at once.
                server.setStopTimeout(0);
            });
            stages.configure(config);
            config.requestLogger.http(new AccessLog(name, options.statuses()));
            options.console().ifPresent(console -> console.configure(config));
            options.cors()
                    .ifPresent(cors -> config.bundledPlugins.enableCors(plugin -> plugin.addRule(rule -> {
                        if (cors.origin().equals("*")) {
                            rule.anyHost();
                        } else {
                            rule.allowHost(cors.origin());
                        }
                    })));
            // ServerConfig refuses an https:// address without a keystore.
            config.jetty.addConnector(new BoundConnector(
                    socket,
                    address.https() ? Optional.of(options.tls().orElseThrow()) : Optional.empty(),
                    options.idleTimeout()));
            // No minimum rate for answers: Jetty measures it from an answer's first byte with no
            // grace, so a thread descheduled for a tenth of a second between writing a small
            // answer and flushing it (a loaded CPU) cut the answer (the soak under CPU load lost
            // 1-4 of ~13,000 requests a minute). Answers are sent without a thread waiting on the
            // client; one the client takes nothing of is given up after the idle timeout.
        });
        app.before(new RequestIds());
        OwnHosts hosts = OwnHosts.of(address, options.allowedHosts());
        HostCheck hostCheck = new HostCheck(hosts);
        app.before(hostCheck);
        app.wsBeforeUpgrade(hostCheck);
        app.wsBeforeUpgrade(new OriginCheck(hosts, address.https()));
        options.cors().ifPresent(cors -> app.before(new CorsPreflight(cors)));
        options.consoleAt()
                .ifPresent(console -> app.before(new ConsoleCors(
                        OwnHosts.of(console, options.allowedHosts()), console.https(), console.port())));
        List<KeyRule> rules = apis.stream().flatMap(api -> api.keys().stream()).toList();
        Optional<BearerAuth> auth = rules.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        new BearerAuth(rules, options.console().isPresent() ? ConsoleAssets::isAsset : path -> false));
        auth.ifPresent(check -> {
            app.before(check);
            // A WebSocket upgrade does not pass the before-handlers: it is checked on its own.
            app.wsBeforeUpgrade(check);
        });
        app.exception(ServingException.class, (e, ctx) -> error(ctx, e.status(), e.type(), e.getMessage()));
        // Javalin's own refusals (unknown route, wrong method, body too large) in TorchServe's words.
        app.exception(HttpResponseException.class, (e, ctx) -> refusal(ctx, e));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} API: {} {} failed", name, ctx.method(), ctx.path(), e);
            error(ctx, 500, "InternalServerException", "Internal server error");
        });
        for (ApiRoutes api : apis) {
            Set<String> before = paths(app);
            api.routes().accept(app);
            // Each route takes the key of the API that added it (on a shared listener).
            auth.filter(BearerAuth::shared)
                    .ifPresent(check -> paths(app).stream()
                            .filter(path -> !before.contains(path))
                            .forEach(path -> check.route(path, api.keys().orElseThrow())));
        }
        app.options("/", new OpenApi(name, app, auth));
        stages.seal(app);
        app.start(); // on its own connector
        LOG.info("{} API listening on {}", name, new Address(address.host(), app.port(), address.https()));
        return new ApiServer(name, app, requests);
    }

    /** @return the paths of the listener's HTTP and WebSocket routes */
    private static Set<String> paths(Javalin app) {
        Set<String> paths = new HashSet<>();
        OpenApi.routes(app).forEach(route -> paths.add(route.getPath()));
        app.unsafeConfig().pvt.internalRouter.allWsHandlers().forEach(ws -> paths.add(ws.getPath()));
        return paths;
    }

    /** @return its routes, {@code METHOD path}, as the router has them */
    List<String> routes() {
        return OpenApi.routes(app).stream()
                .map(route -> route.getMethod() + " " + route.getPath())
                .toList();
    }

    /** @return the port it listens on (useful when started on port 0) */
    public int port() {
        return app.port();
    }

    private static void refusal(Context ctx, HttpResponseException e) {
        switch (e.getStatus()) {
            case 404 ->
                error(
                        ctx,
                        404,
                        "ResourceNotFoundException",
                        "Requested resource is not found, please refer to API document.");
            case 405 ->
                error(
                        ctx,
                        405,
                        "MethodNotAllowedException",
                        "Requested method is not allowed, please refer to API document.");
            case 413 -> error(ctx, 413, "RequestTooLargeException", e.getMessage());
            default -> error(ctx, e.getStatus(), "BadRequestException", e.getMessage());
        }
    }

    /** @return TorchServe's error JSON for {@code ctx}'s request, as {@link #error} sends it */
    static Map<String, Object> errorBody(Context ctx, int status, String type, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("type", type);
        body.put("message", message);
        if (ctx.path().startsWith(KServeApi.PREFIX)) {
            // KServe's clients read the Open Inference Protocol's {"error": "..."}.
            body.put("error", message);
            // A binary answer refused after it was written (507) leaves no length of its JSON behind.
            ctx.res().setHeader(RestRequest.HEADER_LENGTH, null);
        }
        return body;
    }

    /** Writes TorchServe's error JSON. */
    static void error(Context ctx, int status, String type, String message) {
        Map<String, Object> body = errorBody(ctx, status, type, message);
        ctx.status(status).json(body);
        if (ctx.header(Header.SEC_WEBSOCKET_KEY) != null) {
            // Javalin takes such a request for a WebSocket upgrade, and writes no result of a
            // refused one: the body is written here.
            try {
                ctx.res().getOutputStream().write(JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Begins the stop: the listening socket is closed, so that new connections are refused; a
     * new request on a connection already open is answered 503 (a probe Unhealthy), unless Jetty
     * has closed that connection as idle (ListenersTest).
     *
     * @return completed once every request taken is answered, its answer sent
     */
    CompletableFuture<Void> drain() {
        // The connector and the requests only: Graceful.shutdown(server) would also shut the
        // servlet context, which answers every request 503, the probes too.
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            connector.shutdown();
        }
        return requests.shutdown();
    }

    /** @return the requests taken and not yet answered */
    int inFlight() {
        return requests.getRequestsActive();
    }

    /** Stops the listener, closing its connections: after {@link #drain()}, none is answering. */
    @Override
    public void close() {
        app.stop();
        LOG.info("{} API stopped", name);
    }
}
