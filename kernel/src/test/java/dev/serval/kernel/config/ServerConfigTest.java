package dev.serval.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.BatchPolicy;
import dev.serval.serving.ServingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {

    private static final ServerConfig BASE =
            ServerConfig.defaults(Path.of("/base/home")).build();

    @TempDir
    Path tmp;

    private ServerConfig load(String properties) throws IOException {
        Path file = Files.writeString(tmp.resolve("config.properties"), properties);
        return ServerConfig.defaults(Path.of("/base/home")).properties(file).build();
    }

    @Test
    void readsInferenceAddress() throws IOException {
        ServerConfig config = load("inference_address=http://0.0.0.0:9090\n");

        assertEquals(new Address("0.0.0.0", 9090), config.inferenceAddress());
    }

    @Test
    void nativesComeFromTheInstallationOnceServalNativesFilledIt() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path base = tmp.resolve("base");
        assertEquals(
                base.resolve("work/cache"),
                ServerConfig.defaults(home, base).build().cacheDir());

        Files.createDirectories(home.resolve(ServerConfig.INSTALLED_NATIVES));
        assertEquals(
                home.resolve("natives"),
                ServerConfig.defaults(home, base).build().cacheDir());
    }

    @Test
    void grpcListensOnTorchServesLoopbackPortsUnlessConfigured() throws IOException {
        assertEquals(
                new GrpcSettings(true, new Address("127.0.0.1", 7070), new Address("127.0.0.1", 7071), false),
                BASE.grpc());

        ServerConfig config = load("grpc_inference_address=0.0.0.0\ngrpc_inference_port=9090\n"
                + "grpc_management_address=::1\ngrpc_management_port=0\nenable_grpc_ssl=false\n");
        assertEquals(new GrpcSettings(true, new Address("0.0.0.0", 9090), new Address("::1", 0), false), config.grpc());
        assertFalse(load("enable_grpc=false\n").grpc().enabled());
        // TLS as TorchServe's enable_grpc_ssl asks, with the https:// listeners' keystore: none, no start.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("enable_grpc_ssl=true\n"));
        assertEquals(
                "config.properties: enable_grpc_ssl needs keystore and keystore_pass, or certificate_file and private_key_file",
                e.getMessage());
    }

    @Test
    void resolvesRelativeModelStoreAgainstTheFilesFolder() throws IOException {
        ServerConfig config = load("model_store=store\n");

        assertEquals(tmp.toAbsolutePath().resolve("store"), config.modelStore());
    }

    @Test
    void keepsAbsoluteModelStore() throws IOException {
        Path store = tmp.resolve("elsewhere").toAbsolutePath();

        ServerConfig config = load("model_store=" + store.toString().replace("\\", "/") + "\n");

        assertEquals(store, config.modelStore());
    }

    @Test
    void readsLoadModelsList() throws IOException {
        ServerConfig config = load("load_models=a.mar, b=b.mar\n");

        assertEquals(List.of("a.mar", "b=b.mar"), config.loadModels());
    }

    @Test
    void slowClientLimitsHaveSafeDefaultsAndTheirKeys() throws IOException {
        assertEquals(Duration.ofSeconds(30), BASE.idleTimeout());
        assertEquals(1024, BASE.minDataRate());
        assertEquals(32 * BASE.maxRequestSize(), BASE.maxBufferedRequestBytes());

        ServerConfig config = load("idle_timeout=2.5\nmin_data_rate=0\nmax_request_size=1000\n");
        assertEquals(Duration.ofMillis(2500), config.idleTimeout());
        assertEquals(0, config.minDataRate());
        assertEquals(32_000, config.maxBufferedRequestBytes());
        assertEquals(5000, load("max_buffered_request_bytes=5000\n").maxBufferedRequestBytes());
    }

    @Test
    void ignoresUnknownKeysAndKeepsTheBase() throws IOException {
        ServerConfig config = load("foo=bar\n");

        assertEquals(BASE, config);
    }

    @Test
    void appliesAllKnownKeysTogetherLeavingOthersFromTheBase() throws IOException {
        ServerConfig config = load("""
                inference_address=http://0.0.0.0:9090
                model_store=store
                load_models=a.mar, b=b.mar
                foo=bar
                """);

        assertEquals(new Address("0.0.0.0", 9090), config.inferenceAddress());
        assertEquals(tmp.toAbsolutePath().resolve("store"), config.modelStore());
        assertEquals(List.of("a.mar", "b=b.mar"), config.loadModels());
        assertEquals(BASE.managementAddress(), config.managementAddress());
        assertEquals(BASE.workDir(), config.workDir());
    }

    @Test
    void readsModelDefaults() throws IOException {
        ServerConfig config = load("""
                default_workers_per_model=2
                default_response_timeout=30
                job_queue_size=10
                limit_max_image_pixels=1000
                """);

        assertEquals(
                new ServingSettings(2, 2, 1, 100, BatchPolicy.ADAPTIVE, 30_000, 10, 1000, 120_000),
                config.modelDefaults());
    }

    @Test
    void readsTorchServesModelsJson() throws IOException {
        ServerConfig config = load("models={\"digits\": {\"1.0\": {\"batchSize\": 8, \"maxBatchDelay\": 50}}}\n");

        assertEquals(
                Map.of("batchSize", 8, "maxBatchDelay", 50),
                config.modelEntries().get("digits").get("1.0"));
    }

    /** KServe's docs/samples/v1beta1/torchserve/v1/config.properties, as KServe's TorchServe runtime reads it. */
    @Test
    void takesKServesTorchServeConfigUnchanged() throws IOException {
        ServerConfig config = load("""
                inference_address=http://0.0.0.0:8085
                management_address=http://0.0.0.0:8085
                metrics_address=http://0.0.0.0:8082
                grpc_inference_port=7070
                grpc_management_port=7071
                enable_metrics_api=true
                metrics_format=prometheus
                number_of_netty_threads=4
                job_queue_size=10
                enable_envvars_config=true
                install_py_dep_per_model=true
                model_store=/mnt/models/model-store
                model_snapshot={"name":"startup.cfg","modelCount":1,"models":{"mnist":{"1.0":{"defaultVersion":true,\
                "marName":"mnist.mar","minWorkers":1,"maxWorkers":5,"batchSize":1,"maxBatchDelay":5000,"responseTimeout":120}}}}
                service_envelope=kserve
                """);

        assertTrue(config.sharedListener());
        assertEquals(10, config.modelDefaults().jobQueueSize());
        assertEquals(Path.of("/mnt/models/model-store"), config.modelStore());
        assertEquals(
                List.of(new ModelSnapshot.Model(
                        "mnist",
                        "1.0",
                        "mnist.mar",
                        true,
                        Map.of(
                                "minWorkers",
                                1,
                                "maxWorkers",
                                5,
                                "batchSize",
                                1,
                                "maxBatchDelay",
                                5000,
                                "responseTimeout",
                                120))),
                config.modelSnapshot().orElseThrow().models());
        assertTrue(BASE.modelSnapshot().isEmpty());
        assertFalse(BASE.sharedListener());
        // Port 0 is any free port: two of them are two listeners.
        assertFalse(load("inference_address=http://127.0.0.1:0\nmanagement_address=http://127.0.0.1:0\n")
                .sharedListener());
    }

    @Test
    void aModelSnapshotMayAskForTorchServesFixedBatching() throws IOException {
        ServerConfig config = load("model_snapshot={\"models\": {\"mnist\": {\"1.0\": {\"marName\": \"mnist.mar\","
                + " \"batchSize\": 8, \"batchPolicy\": \"FIXED\"}}}}\n");

        assertEquals(
                Map.of("batchSize", 8, "batchPolicy", "fixed"),
                config.modelSnapshot().orElseThrow().models().get(0).settings());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"models\": {\"mnist\": ",
                "[]",
                "{\"name\": \"startup.cfg\"}",
                "{\"models\": {\"mnist\": {\"1.0\": {\"minWorkers\": 1}}}}",
                "{\"models\": {\"mnist\": {\"1.0\": {\"marName\": \"m.mar\", \"batchSize\": \"eight\"}}}}",
                "{\"models\": {\"mnist\": {\"1.0\": {\"marName\": \"m.mar\", \"batchPolicy\": \"sometimes\"}}}}",
                "{\"models\": {\"mnist\": {\"1.0\": {\"marName\": \"m.mar\", \"batchPolicy\": 1}}}}",
                "{\"models\": {\"mnist\": {\"1.0\": {\"marName\": \"m.mar\", \"defaultVersion\": \"yes\"}}}}",
                "{\"models\": {\"mnist\": [\"mnist.mar\"]}}"
            })
    void refusesAMalformedModelSnapshotInOneLineNamingTheKey(String json) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> load("model_snapshot=" + json + "\n"));

        assertTrue(e.getMessage().startsWith("config.properties: model_snapshot: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void modelApiIsOffUnlessEnabled() throws IOException {
        assertFalse(BASE.modelApiEnabled());
        assertTrue(load("enable_model_api=true\n").modelApiEnabled());
    }

    @Test
    void pixelLimitAcceptsTorchServesSwitch() throws IOException {
        assertEquals(0, load("limit_max_image_pixels=false\n").modelDefaults().maxImagePixels());
        assertEquals(
                ServingSettings.DEFAULTS.maxImagePixels(),
                load("limit_max_image_pixels=true\n").modelDefaults().maxImagePixels());
    }

    @Test
    void malformedNumberNamesTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> load("default_workers_per_model=many\n"));

        assertTrue(e.getMessage().contains("default_workers_per_model"), e.getMessage());
    }

    @Test
    void splitListAcceptsCommasAndSpaces() {
        assertEquals(List.of("a", "b", "c"), ServerConfig.splitList("a, b c"));
    }

    @Test
    void splitListDropsBlanks() {
        assertEquals(List.of("a", "b"), ServerConfig.splitList(" a,,b, "));
    }

    @Test
    void readsTorchServesSecurityKeys() throws IOException {
        ServerConfig config = load(String.join(
                "\n",
                "disable_token_authorization=true",
                "token_expiration_min=0.5",
                // a properties file: a regex's backslash is written twice
                "allowed_urls=file:///models/.*, https://x\\\\.example/.*",
                "max_response_size=10",
                "cors_allowed_origin='*'",
                "cors_allowed_methods=GET, POST",
                "keystore=ks.p12",
                "keystore_pass=pw",
                ""));

        assertFalse(config.tokenAuthorization());
        assertEquals(java.time.Duration.ofSeconds(30), config.tokenExpiration());
        assertEquals(
                List.of("file:///models/.*", "https://x\\.example/.*"),
                config.allowedUrls().stream()
                        .map(java.util.regex.Pattern::pattern)
                        .toList());
        assertEquals(10, config.maxResponseSize());
        assertEquals("*", config.cors().orElseThrow().origin());
        assertEquals("GET, POST", config.cors().orElseThrow().methods().orElseThrow());
        assertEquals(
                new TlsSettings.Keystore(tmp.toAbsolutePath().resolve("ks.p12"), "pw", "PKCS12"),
                config.tls().orElseThrow());
    }

    @Test
    void securityIsOnByDefault() {
        assertTrue(BASE.tokenAuthorization());
        assertEquals(List.of(), BASE.allowedUrls());
        assertTrue(BASE.cors().isEmpty());
        assertEquals(ShellAccess.RESTRICTED, BASE.remoteShell());
        assertEquals(List.of(), BASE.allowedHosts());
    }

    @Test
    void theRemoteShellNeverOpensWithoutAKeyUnlessEnabled() throws IOException {
        assertEquals(ShellAccess.OFF, load("disable_token_authorization=true\n").remoteShell());
        assertEquals(
                ShellAccess.OFF,
                load("enable_remote_shell_code_execution=true\nenable_remote_shell=false\n")
                        .remoteShell());
        assertEquals(
                ShellAccess.RESTRICTED,
                load("disable_token_authorization=true\nenable_remote_shell=true\n")
                        .remoteShell());
        assertEquals(
                ShellAccess.FULL,
                load("enable_remote_shell_code_execution=true\n").remoteShell());
        assertEquals(
                ShellAccess.OFF,
                ServerConfig.defaults(Path.of("/base/home"))
                        .tokenAuthorization(false)
                        .build()
                        .remoteShell(),
                "--disable-token-auth closes it too");
        assertEquals(
                List.of("serval.internal", "10.0.0.5"),
                load("allowed_hosts=serval.internal, 10.0.0.5\n").allowedHosts());
    }

    @Test
    void refusesBadPatternsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("allowed_urls=file://(\n"))
                .getMessage()
                .contains("allowed_urls"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "token_expiration_min=0",
                "token_expiration_min=-5",
                "token_expiration_min=NaN",
                "max_request_size=-1",
                "max_request_size=0",
                "max_response_size=-100",
                "job_queue_size=0",
                "default_workers_per_model=-1",
                "default_response_timeout=0",
                "limit_max_image_pixels=-1",
                "inference_address=http://127.0.0.1:70000",
                "management_address=127.0.0.1:-1",
                "metrics_address=http://127.0.0.1:99999",
                "idle_timeout=0",
                "idle_timeout=-1",
                "min_data_rate=-1",
                "max_buffered_request_bytes=0",
                "grpc_inference_port=70000",
                "grpc_management_port=-1"
            })
    void refusesAValueThatLeavesTheServerUselessInOneLineNamingTheKey(String line) {
        String key = line.substring(0, line.indexOf('='));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(line + "\n"));

        assertTrue(e.getMessage().startsWith("config.properties: " + key + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void refusesAnHttpsAddressWithoutAKeystore() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> load("management_address=https://127.0.0.1:8443\n"));

        assertTrue(e.getMessage().contains("management_address"), e.getMessage());
    }

    @Test
    void refusesAMissingKeystoreWhenAnAddressIsHttps() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> load("inference_address=https://127.0.0.1:8443\nkeystore=missing.p12\nkeystore_pass=x\n"));

        assertTrue(e.getMessage().startsWith("config.properties: keystore "), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void refusesAKeystoreItCannotOpen() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        try (var out = Files.newOutputStream(tmp.resolve("ks.p12"))) {
            keystore.store(out, "right".toCharArray());
        }

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> load("inference_address=https://127.0.0.1:8443\nkeystore=ks.p12\nkeystore_pass=wrong\n"));

        assertTrue(e.getMessage().startsWith("config.properties: keystore "), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be opened"), e.getMessage());
        assertEquals(
                new TlsSettings.Keystore(tmp.toAbsolutePath().resolve("ks.p12"), "right", "PKCS12"),
                load("inference_address=https://127.0.0.1:8443\nkeystore=ks.p12\nkeystore_pass=right\n")
                        .tls()
                        .orElseThrow());
    }

    @Test
    void takesTorchServesPemKeysRelativeToTheFile() throws Exception {
        Files.copy(PemKeysTest.fixture("cert.pem"), tmp.resolve("cert.pem"));
        Files.copy(PemKeysTest.fixture("key.pem"), tmp.resolve("key.pem"));

        ServerConfig config = load(
                "inference_address=https://127.0.0.1:8443\ncertificate_file=cert.pem\n" + "private_key_file=key.pem\n");

        assertEquals(
                new TlsSettings.PemFiles(
                        tmp.toAbsolutePath().resolve("cert.pem"),
                        tmp.toAbsolutePath().resolve("key.pem")),
                config.tls().orElseThrow());
    }

    @Test
    void refusesAKeystoreBesidePemKeysAndHalfOfThePemKeys() {
        assertEquals(
                "config.properties: keystore and certificate_file are both set; TLS takes a keystore or PEM"
                        + " files: remove one",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> load("keystore=ks.p12\ncertificate_file=c.pem\nprivate_key_file=k.pem\n"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("keystore=ks.p12\nprivate_key_file=k.pem\n"))
                .getMessage()
                .startsWith("config.properties: keystore and private_key_file are both set"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("private_key_file=k.pem\n"))
                .getMessage()
                .startsWith("config.properties: private_key_file needs certificate_file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("certificate_file=c.pem\n"))
                .getMessage()
                .startsWith("config.properties: certificate_file needs private_key_file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("inference_address=https://127.0.0.1:1\n"))
                .getMessage()
                .endsWith("needs keystore and keystore_pass, or certificate_file and private_key_file"));
    }

    private ServerConfig.Builder withEnvironment(String properties, Map<String, String> environment)
            throws IOException {
        Path file = Files.writeString(tmp.resolve("config.properties"), properties);
        return ServerConfig.defaults(Path.of("/base/home")).properties(file).environment(environment);
    }

    @Test
    void tsVariablesWinOverTheFileAndTheCommandLineWhenEnabled() throws IOException {
        ServerConfig config = withEnvironment(
                        "enable_envvars_config=true\ninference_address=http://127.0.0.1:1\n" + "job_queue_size=5\n",
                        Map.of(
                                "TS_INFERENCE_ADDRESS",
                                "http://0.0.0.0:9090",
                                "TS_JOB_QUEUE_SIZE",
                                "7",
                                "TS_MODEL_STORE",
                                "/srv/store",
                                "TS_TOKEN_EXPIRATION_TIME_MIN",
                                "2",
                                "TS_DISABLE_TOKEN_AUTHORIZATION",
                                "true",
                                "PATH",
                                "/bin",
                                "TS_NOT_A_KEY",
                                "x"))
                .modelStore(Path.of("/from/the/command/line"))
                .build();

        assertEquals(new Address("0.0.0.0", 9090), config.inferenceAddress());
        assertEquals(7, config.modelDefaults().jobQueueSize());
        assertEquals(Path.of("/srv/store"), config.modelStore());
        assertEquals(Duration.ofMinutes(2), config.tokenExpiration());
        assertFalse(config.tokenAuthorization());
    }

    @Test
    void tsVariablesAreIgnoredUnlessEnabled() throws IOException {
        Map<String, String> environment = Map.of("TS_INFERENCE_ADDRESS", "http://0.0.0.0:9090");

        assertEquals(
                new Address("127.0.0.1", 1),
                withEnvironment("inference_address=http://127.0.0.1:1\n", environment)
                        .build()
                        .inferenceAddress());
        assertEquals(
                new Address("127.0.0.1", 1),
                withEnvironment("enable_envvars_config=false\n" + "inference_address=http://127.0.0.1:1\n", environment)
                        .build()
                        .inferenceAddress());
    }

    @Test
    void tlsKeysFromTheFileAndTheEnvironmentEachKeepTheirFolder() throws IOException {
        Path key = tmp.resolve("elsewhere/key.pem").toAbsolutePath();

        ServerConfig config = withEnvironment(
                        "enable_envvars_config=true\ncertificate_file=cert.pem\n",
                        Map.of("TS_PRIVATE_KEY_FILE", key.toString()))
                .build();

        assertEquals(
                new TlsSettings.PemFiles(tmp.toAbsolutePath().resolve("cert.pem"), key),
                config.tls().orElseThrow());
    }

    @Test
    void tsAllowedUrlsNeedsUseEnvAllowedUrlsAsInTorchServe() throws IOException {
        Map<String, String> environment = Map.of("TS_ALLOWED_URLS", "file:///srv/.*");

        assertEquals(
                List.of(),
                withEnvironment("enable_envvars_config=true\n", environment)
                        .build()
                        .allowedUrls());
        assertEquals(
                List.of("file:///srv/.*"),
                withEnvironment("enable_envvars_config=true\nuse_env_allowed_urls=true\n", environment)
                        .build()
                        .allowedUrls()
                        .stream()
                        .map(java.util.regex.Pattern::pattern)
                        .toList());
    }

    @Test
    void aMalformedTsVariableIsRefusedNamingIt() {
        assertEquals(
                "TS_JOB_QUEUE_SIZE is not a number: many",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> withEnvironment(
                                                "enable_envvars_config=true\n", Map.of("TS_JOB_QUEUE_SIZE", "many"))
                                        .build())
                        .getMessage());
        assertEquals(
                "TS_MAX_REQUEST_SIZE: must be at least 1, not 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> withEnvironment(
                                                "enable_envvars_config=true\n", Map.of("TS_MAX_REQUEST_SIZE", "0"))
                                        .build())
                        .getMessage());
    }

    @Test
    void theEnvironmentSetsNeitherModelsNorEnablesItselfNorServalsOwnSecurityKeys() throws IOException {
        ServerConfig config = withEnvironment(
                        "", Map.of("TS_ENABLE_ENVVARS_CONFIG", "true", "TS_INFERENCE_ADDRESS", "http://0.0.0.0:9090"))
                .build();
        ServerConfig enabled = withEnvironment(
                        "enable_envvars_config=true\n",
                        Map.of(
                                "TS_MODELS",
                                "{\"a\": {}}",
                                "TS_ALLOWED_HOSTS",
                                "*",
                                "TS_ENABLE_REMOTE_SHELL_CODE_EXECUTION",
                                "true"))
                .build();

        assertEquals(BASE.inferenceAddress(), config.inferenceAddress());
        assertEquals(Map.of(), enabled.modelEntries());
        assertEquals(List.of(), enabled.allowedHosts());
        assertEquals(ShellAccess.RESTRICTED, enabled.remoteShell());
    }

    @Test
    void theShutdownGraceAndTheLogFormatComeFromTheFileOrTheEnvironment() throws IOException {
        assertEquals(Duration.ofSeconds(20), BASE.shutdownGrace());
        assertEquals(LogFormat.PLAIN, BASE.logFormat());

        ServerConfig file = load("graceful_shutdown_timeout=5\nlog_format=JSON\n");
        assertEquals(Duration.ofSeconds(5), file.shutdownGrace());
        assertEquals(LogFormat.JSON, file.logFormat());

        ServerConfig environment = withEnvironment(
                        "enable_envvars_config=true\n",
                        Map.of("TS_GRACEFUL_SHUTDOWN_TIMEOUT", "0", "TS_LOG_FORMAT", "json"))
                .build();
        assertEquals(Duration.ZERO, environment.shutdownGrace());
        assertEquals(LogFormat.JSON, environment.logFormat());

        assertEquals(
                "config.properties: log_format: must be plain or json, not xml",
                assertThrows(IllegalArgumentException.class, () -> load("log_format=xml\n"))
                        .getMessage());
        assertEquals(
                "config.properties: graceful_shutdown_timeout: must be from 0 to 3600, not -1",
                assertThrows(IllegalArgumentException.class, () -> load("graceful_shutdown_timeout=-1\n"))
                        .getMessage());
    }

    @Test
    void theLogTakesItsFormatBeforeTheSettingsNotesAreLogged() throws IOException {
        List<LogFormat> taken = new java.util.ArrayList<>();
        Path file = Files.writeString(tmp.resolve("config.properties"), "log_format=json\nnot_a_key=1\n");

        ServerConfig.defaults(Path.of("/base/home"))
                .properties(file)
                .logFormatTo(taken::add)
                .build();

        assertEquals(List.of(LogFormat.JSON), taken);
    }
}
