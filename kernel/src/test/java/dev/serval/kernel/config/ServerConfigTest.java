package dev.serval.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.model.ServingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    private static final ServerConfig BASE = ServerConfig.defaults(Path.of("/base/home")).build();

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

        assertEquals(new ServingSettings(2, 2, 1, 100, 30_000, 10, 1000), config.modelDefaults());
    }

    @Test
    void readsTorchServesModelsJson() throws IOException {
        ServerConfig config = load("models={\"digits\": {\"1.0\": {\"batchSize\": 8, \"maxBatchDelay\": 50}}}\n");

        assertEquals(Map.of("batchSize", 8, "maxBatchDelay", 50), config.modelEntries().get("digits").get("1.0"));
    }

    @Test
    void modelApiIsOffUnlessEnabled() throws IOException {
        assertFalse(BASE.modelApiEnabled());
        assertTrue(load("enable_model_api=true\n").modelApiEnabled());
    }

    @Test
    void pixelLimitAcceptsTorchServesSwitch() throws IOException {
        assertEquals(0, load("limit_max_image_pixels=false\n").modelDefaults().maxImagePixels());
        assertEquals(ServingSettings.DEFAULTS.maxImagePixels(),
                load("limit_max_image_pixels=true\n").modelDefaults().maxImagePixels());
    }

    @Test
    void malformedNumberNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load("default_workers_per_model=many\n"));

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
        ServerConfig config = load(String.join("\n", "disable_token_authorization=true", "token_expiration_min=0.5",
                // a properties file: a regex's backslash is written twice
                "allowed_urls=file:///models/.*, https://x\\\\.example/.*", "max_response_size=10",
                "cors_allowed_origin='*'", "cors_allowed_methods=GET, POST", "keystore=ks.p12", "keystore_pass=pw", ""));

        assertFalse(config.tokenAuthorization());
        assertEquals(java.time.Duration.ofSeconds(30), config.tokenExpiration());
        assertEquals(List.of("file:///models/.*", "https://x\\.example/.*"),
                config.allowedUrls().stream().map(java.util.regex.Pattern::pattern).toList());
        assertEquals(10, config.maxResponseSize());
        assertEquals("*", config.cors().orElseThrow().origin());
        assertEquals("GET, POST", config.cors().orElseThrow().methods().orElseThrow());
        assertEquals(tmp.toAbsolutePath().resolve("ks.p12"), config.tls().orElseThrow().keystore());
        assertEquals("PKCS12", config.tls().orElseThrow().type());
    }

    @Test
    void securityIsOnByDefault() {
        assertTrue(BASE.tokenAuthorization());
        assertEquals(List.of(), BASE.allowedUrls());
        assertTrue(BASE.cors().isEmpty());
    }

    @Test
    void refusesPemKeysAndBadPatternsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("private_key_file=k.pem\n"))
                .getMessage().contains("openssl pkcs12"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> load("allowed_urls=file://(\n"))
                .getMessage().contains("allowed_urls"));
    }
}
