package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.kernel.TestKeystore;
import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.ModelStore;
import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.kernel.manage.Snapshot;
import dev.serval.kernel.metrics.Metrics;
import dev.serval.kernel.shell.RemoteShell;
import dev.serval.serving.Deadlines;
import dev.serval.serving.ModelLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three listeners as the server starts them, without models or engines: what every request
 * goes through (keys, request ids, limits) and the OpenAPI description of their routes.
 */
class ListenersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Listeners listeners;
    private ModelManager manager;
    private JsonNode keys;
    private CommandShell shell;

    private void start(String... properties) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        // Later lines win: a test may set the inference address again.
        Path file = Files.writeString(
                dir.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:0",
                        "management_address=http://127.0.0.1:0",
                        "metrics_address=http://127.0.0.1:0",
                        "model_store=" + store,
                        String.join("\n", properties),
                        ""));
        ServerConfig config = ServerConfig.defaults(dir).properties(file).build();
        Catalog registry = new Catalog();
        manager = new ModelManager(
                new ModelLoader(dir.resolve("work"), config.modelDefaults(), Map.of(), deadlines),
                registry,
                new ModelStore(store),
                Snapshot.disabled());
        Optional<Keys> issued = config.tokenAuthorization()
                ? Optional.of(Keys.issue(dir.resolve("key_file.json"), config.tokenExpiration()))
                : Optional.empty();
        listeners = Listeners.start(
                config,
                ListenerSockets.bind(config),
                registry,
                manager,
                new Metrics(registry),
                issued,
                () -> Optional.ofNullable(shell));
        keys = issued.isPresent() ? JSON.readTree(dir.resolve("key_file.json").toFile()) : null;
    }

    private final Deadlines deadlines = new Deadlines();

    @AfterEach
    void stop() {
        if (listeners != null) {
            listeners.close();
        }
        deadlines.close();
    }

    @Test
    void theOpenApiDescriptionListsEveryRouteAndNoOther() throws Exception {
        start();
        Set<String> described = new HashSet<>();
        for (ApiServer listener : List.of(listeners.inference(), listeners.management(), listeners.metrics())) {
            JsonNode document =
                    JSON.readTree(send(listener, "OPTIONS", "/", true).body());

            Set<String> routes = new TreeSet<>();
            document.get("paths")
                    .fields()
                    .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                        routes.add(op.getKey().toUpperCase() + " " + path.getKey());
                        assertFalse(
                                op.getValue().path("summary").asText().isEmpty(),
                                "no summary for " + op.getKey() + " " + path.getKey() + " in operations.yaml");
                        assertTrue(op.getValue().path("operationId").isTextual(), op.getKey() + " " + path.getKey());
                    }));
            assertEquals(new TreeSet<>(listener.routes()), routes);
            assertEquals("3.0.3", document.get("openapi").asText());
            described.addAll(routes);
        }
        assertTrue(
                described.containsAll(List.of(
                        "POST /v2/models/{model}/infer",
                        "GET /token",
                        "GET /metrics",
                        "DELETE /models/{model}/{version}",
                        "PUT /predictions/{model}")),
                described.toString());
        Set<String> summarized = new TreeSet<>();
        OpenApi.OPERATIONS.forEach(
                (path, methods) -> methods.keySet().forEach(m -> summarized.add(m.toUpperCase() + " " + path)));
        assertEquals(summarized, new TreeSet<>(described), "operations.yaml names routes that do not exist");
    }

    @Test
    void theOpenApiDescriptionsMarkWhatNeedsNoKeyAndNameTheirListener() throws Exception {
        start();
        JsonNode inference =
                JSON.readTree(send(listeners.inference(), "OPTIONS", "/", true).body());
        JsonNode management =
                JSON.readTree(send(listeners.management(), "OPTIONS", "/", true).body());
        JsonNode metrics =
                JSON.readTree(send(listeners.metrics(), "OPTIONS", "/", false).body());

        assertEquals(
                "http://127.0.0.1:" + listeners.inference().port(),
                inference.at("/servers/0/url").asText());
        assertEquals("[{\"bearer\":[]}]", inference.get("security").toString());
        for (String open : List.of("/ping", "/v2/health/live", "/v2/health/ready")) {
            JsonNode get = inference.get("paths").get(open).get("get");
            assertEquals("[]", get.get("security").toString(), open);
            assertFalse(get.get("responses").has("401"), open);
        }
        JsonNode predict = inference.at("/paths/~1predictions~1{model}/post");
        assertFalse(predict.has("security"));
        assertEquals(
                "#/components/responses/Unauthorized",
                predict.at("/responses/401/$ref").asText());
        assertEquals(
                "#/components/parameters/model",
                predict.at("/parameters/0/$ref").asText());
        assertEquals(
                "string",
                inference.at("/components/schemas/Error/properties/type/type").asText());
        assertEquals(
                "[{\"apiKey\":[]}]",
                management.at("/paths/~1token/get/security").toString());
        assertEquals(
                "bearer",
                management.at("/components/securitySchemes/apiKey/scheme").asText());
        // The metrics listener takes no key: it says so rather than saying nothing.
        assertEquals("[]", metrics.get("security").toString());
    }

    @Test
    void probesAnswerUnhealthyUntilTheStartupModelsAreLoaded() throws Exception {
        start();
        manager.expectStartupModels();

        HttpResponse<String> ping = send(listeners.inference(), "GET", "/ping", false);
        assertEquals(500, ping.statusCode(), ping.body());
        assertEquals("{\"status\":\"Unhealthy\"}", JSON.readTree(ping.body()).toString());
        assertEquals(
                400,
                send(listeners.inference(), "GET", "/v2/health/ready", false).statusCode());
        assertEquals(
                200,
                send(listeners.inference(), "GET", "/v2/health/live", false).statusCode());

        manager.loadAtStartup(List.of(), Optional.empty());
        assertEquals(
                "{\"status\":\"Healthy\"}",
                JSON.readTree(send(listeners.inference(), "GET", "/ping", false).body())
                        .toString());
        assertEquals(
                200,
                send(listeners.inference(), "GET", "/v2/health/ready", false).statusCode());
    }

    @Test
    void keysAreRequiredExceptOnHealthProbes() throws Exception {
        start();

        HttpResponse<String> without = send(listeners.inference(), "GET", "/v2", false);
        assertEquals(401, without.statusCode());
        assertEquals(
                "InvalidKeyException", JSON.readTree(without.body()).get("type").asText());
        assertEquals(401, send(listeners.management(), "OPTIONS", "/", false).statusCode());
        assertEquals(200, send(listeners.inference(), "GET", "/v2", true).statusCode());
        assertEquals(200, send(listeners.inference(), "GET", "/ping", false).statusCode());
        assertEquals(
                200,
                send(listeners.inference(), "GET", "/v2/health/live", false).statusCode());
        assertEquals(
                200,
                send(listeners.inference(), "GET", "/v2/health/ready", false).statusCode());
        assertEquals(200, send(listeners.metrics(), "GET", "/metrics", false).statusCode());
    }

    /** KServe's TorchServe configuration: inference_address and management_address are one. */
    @Test
    void oneAddressForBothApisIsOneListenerWhereEachRouteTakesItsOwnKey() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        echoShell(new AtomicInteger());
        start("inference_address=http://127.0.0.1:" + port, "management_address=http://127.0.0.1:" + port);

        assertSame(listeners.inference(), listeners.management());
        assertEquals(port, listeners.inference().port());
        for (String[] route : new String[][] {{"GET", "/v2"}, {"GET", "/v1/models"}, {"POST", "/predictions/x"}}) {
            assertEquals(401, sendWith("management", route[0], route[1]).statusCode(), route[1]);
            assertNotEquals(401, sendWith("inference", route[0], route[1]).statusCode(), route[1]);
        }
        assertEquals(401, sendWith("inference", "GET", "/models").statusCode());
        assertEquals(200, sendWith("management", "GET", "/models").statusCode());
        assertEquals(200, send(listeners.inference(), "GET", "/ping", false).statusCode());
        URI shellUri = URI.create("ws://127.0.0.1:" + port + ShellApi.PATH);
        assertThrows(
                IOException.class,
                () -> RemoteShell.connect(
                        shellUri, Optional.of(keys.get("inference").get("key").asText())));
        RemoteShell.connect(
                        shellUri, Optional.of(keys.get("management").get("key").asText()))
                .close();

        // One description of both APIs, which either key opens; each operation names the key it takes.
        assertEquals(401, send(listeners.inference(), "OPTIONS", "/", false).statusCode());
        JsonNode document = JSON.readTree(sendWith("management", "OPTIONS", "/").body());
        assertEquals(200, sendWith("inference", "OPTIONS", "/").statusCode());
        assertEquals(
                "Serval Inference and management API",
                document.at("/info/title").asText());
        assertEquals(
                "[{\"inferenceKey\":[]}]",
                document.at("/paths/~1v1~1models~1{model}:predict/post/security")
                        .toString());
        assertEquals(
                "[{\"managementKey\":[]}]",
                document.at("/paths/~1models/get/security").toString());
        assertEquals("[]", document.at("/paths/~1ping/get/security").toString());
        assertEquals(
                "[{\"apiKey\":[]}]", document.at("/paths/~1token/get/security").toString());
        assertEquals(
                "[{\"inferenceKey\":[]},{\"managementKey\":[]}]",
                document.get("security").toString());
        Set<String> described = new TreeSet<>();
        document.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue()
                        .fieldNames()
                        .forEachRemaining(method -> described.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(new TreeSet<>(listeners.inference().routes()), described);
        assertTrue(
                described.containsAll(List.of("POST /predictions/{model}", "GET /models", "OPTIONS /")),
                described.toString());
        // Last: a renewal replaces the inference key.
        assertEquals(401, sendWith("inference", "GET", "/token?type=inference").statusCode());
        assertEquals(200, sendWith("API", "GET", "/token?type=inference").statusCode());
    }

    /** Port 0 is any free port: two addresses of port 0 are two listeners. */
    @Test
    void twoAddressesOfPortZeroAreTwoListeners() throws Exception {
        start();

        assertNotEquals(listeners.inference().port(), listeners.management().port());
    }

    @Test
    void withTokenAuthorizationOffNothingNeedsAKeyAndThereIsNoTokenApi() throws Exception {
        start("disable_token_authorization=true");

        assertEquals(200, send(listeners.management(), "GET", "/models", false).statusCode());
        assertEquals(
                404,
                send(listeners.management(), "GET", "/token?type=inference", false)
                        .statusCode());
        JsonNode description = JSON.readTree(
                send(listeners.management(), "OPTIONS", "/", false).body());
        assertEquals("[]", description.get("security").toString());
        assertFalse(description.at("/components").has("securitySchemes"));
        // The console says so, rather than asking for keys.
        JsonNode server = JSON.readTree(
                send(listeners.management(), "GET", "/server", false).body());
        assertFalse(server.get("tokenAuthorization").asBoolean());
    }

    @Test
    void registerIsRefusedWhileTheModelApiIsOff() throws Exception {
        start();

        HttpResponse<String> response = send(listeners.management(), "POST", "/models?url=digits.mar", true);

        assertEquals(405, response.statusCode(), response.body());
        assertTrue(JSON.readTree(response.body()).get("message").asText().contains("--enable-model-api"));
        assertEquals(
                405,
                send(listeners.management(), "DELETE", "/models/digits", true).statusCode());
    }

    @Test
    void registerRefusesAUrlOutsideAllowedUrls() throws Exception {
        Files.createDirectories(dir.resolve("allowed"));
        start("enable_model_api=true", "allowed_urls=file://" + dir.toRealPath() + "/allowed/.*");

        HttpResponse<String> dotDot = send(
                listeners.management(),
                "POST",
                "/models?url=file://" + dir.toRealPath() + "/allowed/%252e%252e/key_file.json",
                true);
        HttpResponse<String> web = send(
                listeners.management(),
                "POST",
                "/models?url=http://127.0.0.1:" + listeners.inference().port() + "/ping",
                true);

        assertEquals(400, dotDot.statusCode(), dotDot.body());
        assertTrue(dotDot.body().contains("does not match allowed_urls"), dotDot.body());
        assertEquals(400, web.statusCode(), web.body());
    }

    @Test
    void theShellRunsCommandLinesForTheManagementKeyOnly() throws Exception {
        AtomicInteger open = new AtomicInteger();
        echoShell(open);
        start();
        URI uri = URI.create("ws://127.0.0.1:" + listeners.management().port() + ShellApi.PATH);

        try (RemoteShell remote = RemoteShell.connect(
                uri, Optional.of(keys.get("management").get("key").asText()))) {
            assertEquals(new CommandShell.Outcome("ran felix:lb -s\n", false), remote.execute("lb -s"));
            CommandShell.Outcome unlisted = remote.execute("fail now");
            assertTrue(
                    unlisted.failed() && unlisted.output().startsWith("The remote shell runs only"), unlisted.output());
            assertEquals(1, open.get());
        }
        IOException inferenceKey = assertThrows(
                IOException.class,
                () -> RemoteShell.connect(
                        uri, Optional.of(keys.get("inference").get("key").asText())));
        IOException noKey = assertThrows(IOException.class, () -> RemoteShell.connect(uri, Optional.empty()));

        assertTrue(inferenceKey.getMessage().contains("HTTP 401"), inferenceKey.getMessage());
        assertTrue(noKey.getMessage().contains("HTTP 401"), noKey.getMessage());
        waitUntil(() -> open.get() == 0, "the session closed with its connection");
    }

    @Test
    void theWholeShellRunsWhatItIsGivenWhenAskedFor() throws Exception {
        echoShell(new AtomicInteger());
        start("enable_remote_shell_code_execution=true");

        try (RemoteShell remote = RemoteShell.connect(
                URI.create("ws://127.0.0.1:" + listeners.management().port() + ShellApi.PATH),
                Optional.of(keys.get("management").get("key").asText()))) {
            assertEquals(new CommandShell.Outcome("ran fail now\n", true), remote.execute("fail now"));
        }
    }

    @Test
    void withoutKeysTheShellIsOffUnlessEnabled() throws Exception {
        echoShell(new AtomicInteger());
        start("disable_token_authorization=true");
        URI uri = URI.create("ws://127.0.0.1:" + listeners.management().port() + ShellApi.PATH);

        IOException off = assertThrows(IOException.class, () -> RemoteShell.connect(uri, Optional.empty()));

        assertTrue(off.getMessage().contains("HTTP 403"), off.getMessage());
    }

    /** The shell bundle's service, answering each line with what it was given. */
    private void echoShell(AtomicInteger open) {
        shell = () -> {
            open.incrementAndGet();
            return new CommandShell.Session() {
                @Override
                public CommandShell.Outcome execute(String line) {
                    return new CommandShell.Outcome("ran " + line + "\n", line.startsWith("fail"));
                }

                @Override
                public void close() {
                    open.decrementAndGet();
                }
            };
        };
    }

    @Test
    void withoutTheShellBundleTheShellIs503() throws Exception {
        start();

        IOException refused = assertThrows(
                IOException.class,
                () -> RemoteShell.connect(
                        URI.create("ws://127.0.0.1:" + listeners.management().port() + ShellApi.PATH),
                        Optional.of(keys.get("management").get("key").asText())));

        assertTrue(refused.getMessage().contains("HTTP 503"), refused.getMessage());
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    @Test
    void aCorsPreflightIsAnsweredWithTheConfiguredMethodsAndHeaders() throws Exception {
        start(
                "cors_allowed_origin=https://app.example",
                "cors_allowed_methods=GET, POST",
                "cors_allowed_headers=Authorization, Content-Type");

        HttpResponse<String> allowed = preflight("https://app.example");
        HttpResponse<String> other = preflight("https://evil.example");

        assertEquals(200, allowed.statusCode(), allowed.body()); // no key: browsers send none
        assertEquals(
                "https://app.example",
                allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals(
                "GET, POST",
                allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals(
                "Authorization, Content-Type",
                allowed.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        // what a browser enforces: no Allow-Origin for it, so it sends nothing
        assertTrue(
                other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                other.headers().toString());
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return http.send(
                request(listeners.inference(), "/predictions/digits", false)
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "PUT")
                        .header("Access-Control-Request-Headers", "X-Anything")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsolesFilesNeedNoKeyAndItsCallsTheManagementKey() throws Exception {
        start();

        HttpResponse<String> page = send(listeners.management(), "GET", "/console/", false);
        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(
                policy.contains("script-src 'self';")
                        && !policy.contains("unsafe-inline")
                        && policy.contains("connect-src 'self' http://*:"
                                + listeners.inference().port() + ";"),
                policy);
        assertEquals(
                200,
                send(listeners.management(), "GET", "/console/console.js", false)
                        .statusCode());
        assertEquals(
                200,
                send(listeners.management(), "GET", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", false)
                        .statusCode());
        assertEquals(401, send(listeners.management(), "GET", "/server", false).statusCode());
        assertEquals(
                401,
                send(listeners.management(), "GET", "/server/metrics", false).statusCode());
        assertEquals(
                401,
                send(listeners.management(), "GET", "/console/../models", false).statusCode());
        assertEquals(404, send(listeners.inference(), "GET", "/console/", true).statusCode());

        JsonNode server = JSON.readTree(
                send(listeners.management(), "GET", "/server", true).body());
        assertEquals(listeners.inference().port(), server.at("/inference/port").asInt());
        assertEquals("127.0.0.1", server.at("/inference/host").asText());
        assertTrue(server.get("tokenAuthorization").asBoolean());
        assertFalse(server.get("modelApi").asBoolean());
        assertEquals(
                ManagementCalls.MODEL_API_DISABLED,
                server.get("modelApiDisabled").asText());
        assertEquals(
                200,
                send(listeners.management(), "GET", "/server/metrics", true).statusCode());
        assertEquals(
                400,
                send(listeners.management(), "GET", "/server/log?lines=501", true)
                        .statusCode());
        assertEquals(
                200,
                send(listeners.management(), "GET", "/server/log?lines=5", true).statusCode());
    }

    @Test
    void theConsolesPageMayCallTheInferenceListenerAndNoOtherPage() throws Exception {
        start();
        int console = listeners.management().port();

        for (String origin : List.of("http://127.0.0.1:" + console, "http://localhost:" + console)) {
            HttpResponse<String> allowed = preflight(origin);
            assertEquals(204, allowed.statusCode(), origin);
            assertEquals(
                    origin,
                    allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals(
                    "Authorization, Content-Type",
                    allowed.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        }
        for (String origin : List.of(
                "http://evil.example:" + console,
                "https://127.0.0.1:" + console,
                "http://127.0.0.1:" + listeners.inference().port(),
                "http://127.0.0.1")) {
            HttpResponse<String> other = preflight(origin);
            assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), origin);
        }
        // A refusal is readable by the console, so that it can say the key was refused.
        HttpResponse<String> refused = http.send(
                request(listeners.inference(), "/predictions/digits", false)
                        .header("Origin", "http://127.0.0.1:" + console)
                        .header("Authorization", "Bearer wrong")
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertEquals(
                "http://127.0.0.1:" + console,
                refused.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void aFileIsDeployedOnlyWithTheModelApiAndUnderAPlainName() throws Exception {
        start();
        assertEquals(405, put("/server/deploy/a.mar", "archive").statusCode());

        listeners.close();
        start("enable_model_api=true");
        Path deploy = Files.createDirectories(dir.resolve("deploy"));
        HttpResponse<String> written = put("/server/deploy/a.mar", "archive");
        assertEquals(201, written.statusCode(), written.body());
        assertEquals("archive", Files.readString(deploy.resolve("a.mar")));
        assertEquals(200, put("/server/deploy/a.mar", "again").statusCode());
        assertEquals("again", Files.readString(deploy.resolve("a.mar")));
        for (String name : List.of(".a.mar", "a.txt", "a..mar", "%2e%2e%2fa.mar", "a.mar%00.jar", "-a.jar")) {
            HttpResponse<String> refused = put("/server/deploy/" + name, "x");
            assertTrue(refused.statusCode() == 400 || refused.statusCode() == 404, name + ": " + refused.statusCode());
        }
        try (var files = Files.list(deploy)) {
            assertEquals(
                    List.of("a.mar"),
                    files.map(file -> file.getFileName().toString()).toList());
        }
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(
                request(listeners.management(), path, true)
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttpsAddressServesTlsWithTheKeystore() throws Exception {
        Path keystore = TestKeystore.make(dir);
        start(
                "inference_address=https://127.0.0.1:0",
                "keystore=" + keystore,
                "keystore_pass=" + TestKeystore.PASSWORD);

        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, TestKeystore.trusting(keystore).getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
        URI ping = URI.create("https://127.0.0.1:" + listeners.inference().port() + "/ping");

        HttpResponse<String> response =
                https.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("Healthy", JSON.readTree(response.body()).get("status").asText());
        assertThrows(
                IOException.class,
                () -> http.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()),
                "a client that does not trust the certificate");
        assertThrows(
                IOException.class,
                () -> http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + listeners.inference().port() + "/ping"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                "plain HTTP on the TLS port");
    }

    @Test
    void everyAnswerHasItsOwnRequestId() throws Exception {
        start();

        String first = send(listeners.inference(), "GET", "/ping", false)
                .headers()
                .firstValue("x-request-id")
                .orElseThrow();
        String refused = send(listeners.inference(), "GET", "/v2", false)
                .headers()
                .firstValue("x-request-id")
                .orElseThrow();

        assertEquals(36, first.length());
        assertNotEquals(first, refused);
    }

    @Test
    void aBodyOverMaxRequestSizeIs413Json() throws Exception {
        start("max_request_size=1000");

        HttpResponse<String> response = http.send(
                request(listeners.inference(), "/v2/models/m/infer", true)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1001]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode(), response.body());
        assertEquals(
                "RequestTooLargeException",
                JSON.readTree(response.body()).get("type").asText());
    }

    private HttpResponse<String> send(ApiServer listener, String method, String path, boolean withKey)
            throws Exception {
        return http.send(
                request(listener, path, withKey)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendWith(String key, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + listeners.inference().port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + keys.get(key).get("key").asText())
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(ApiServer listener, String path, boolean withKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (withKey && keys != null) {
            String kind = listener == listeners.inference() ? "inference" : "management";
            request.header(
                    "Authorization", "Bearer " + keys.get(kind).get("key").asText());
        }
        return request;
    }

    @Test
    void aDrainRefusesNewConnectionsAnswersOpenOnes503AndLetsProbesSayUnhealthy() throws Exception {
        start("disable_token_authorization=true");
        int port = listeners.inference().port();
        try (Socket probe = new Socket("127.0.0.1", port);
                Socket late = new Socket("127.0.0.1", port)) {
            assertTrue(exchange(probe, "GET /ping").startsWith("HTTP/1.1 200"));
            assertTrue(exchange(late, "GET /ping").startsWith("HTTP/1.1 200"));

            manager.stopping();
            listeners.drain().get(5, TimeUnit.SECONDS); // nothing in flight

            // An open connection is answered, or closed by Jetty as its connector shuts down (seen
            // in fresh-clone CI runs, never in a warm build; the cause is not known yet): either
            // way it takes no new work.
            String ping = answerOrClosed(probe, "GET /ping");
            assertTrue(ping.isEmpty() || ping.startsWith("HTTP/1.1 500") && ping.contains("\"Unhealthy\""), ping);
            String refused = answerOrClosed(late, "POST /predictions/digits");
            assertTrue(
                    refused.isEmpty()
                            || refused.startsWith("HTTP/1.1 503")
                                    && refused.contains("Connection: close")
                                    && refused.contains("\"ServiceUnavailableException\""),
                    refused);
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            assertEquals(0, listeners.abandon());
        }
    }

    /**
     * @return {@link #exchange}'s answer, or an empty one when the server closed the connection
     *     instead; one that neither answers nor closes it within the timeout fails
     */
    private static String answerOrClosed(Socket socket, String target) throws IOException {
        try {
            return exchange(socket, target);
        } catch (java.net.SocketTimeoutException hung) {
            throw hung;
        } catch (IOException closed) {
            return ""; // the end of the stream, or a reset
        }
    }

    /** @return one answer read whole from a connection kept open: its head and its body */
    private static String exchange(Socket socket, String target) throws IOException {
        socket.setSoTimeout(5_000);
        socket.getOutputStream()
                .write((target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length =
                java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertTrue(length.find(), head.toString());
        return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }
}
