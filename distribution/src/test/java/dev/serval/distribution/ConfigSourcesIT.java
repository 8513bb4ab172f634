package dev.serval.distribution;

import static dev.serval.distribution.ServerProcess.assertRefusedInOneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 19, operating it like TorchServe: ports from flags alone, the config file from
 * {@code TS_CONFIG_FILE}, {@code TS_*} variables with {@code enable_envvars_config}, and TLS from
 * TorchServe's PEM keys, each against the built {@code bin/serval}; what cannot serve is refused
 * at start in one line. The PEM fixtures in {@code src/test/resources/tls} are the kernel's (see
 * its {@code PemKeysTest}): self-signed for {@code localhost} and {@code 127.0.0.1}.
 */
class ConfigSourcesIT {

    @TempDir
    static Path root;

    private static Path store;

    @BeforeAll
    static void emptyStore() throws IOException {
        store = Files.createDirectories(root.resolve("store"));
    }

    private static Path fixture(String name) {
        return Path.of("src/test/resources/tls", name).toAbsolutePath();
    }

    private static List<String> addressLines(String scheme, int[] ports) {
        return List.of(
                "inference_address=" + scheme + "://127.0.0.1:" + ports[0],
                "management_address=http://127.0.0.1:" + ports[1],
                "metrics_address=http://127.0.0.1:" + ports[2]);
    }

    /** @return a config file of these lines and the model store, in a folder of its own */
    private static Path configFile(Path dir, List<String> lines) throws IOException {
        List<String> all = new ArrayList<>(lines);
        all.add("model_store=" + store);
        return Files.writeString(
                Files.createDirectories(dir).resolve("config.properties"), String.join("\n", all) + "\n");
    }

    private static List<String> arguments(Path dir, String... more) {
        List<String> arguments = new ArrayList<>(List.of(more));
        arguments.addAll(ServerProcess.folders(dir));
        return arguments;
    }

    @Test
    void addressFlagsAloneServeOnTheirPorts() throws Exception {
        Path dir = root.resolve("flags");
        int[] ports = ServerProcess.freePorts(3);

        try (ServerProcess server = ServerProcess.launch(
                        Files.createDirectories(dir),
                        arguments(
                                dir,
                                "--inference-address",
                                "http://127.0.0.1:" + ports[0],
                                "--management-address",
                                "http://127.0.0.1:" + ports[1],
                                "--metrics-address",
                                "http://127.0.0.1:" + ports[2],
                                "--model-store",
                                store.toString()),
                        Map.of(),
                        ports)
                .awaitHealthy()) {
            assertEquals(200, server.get(server.managementPort, "/models").statusCode());
            assertEquals(200, server.get(server.metricsPort, "/metrics").statusCode());
        }
    }

    @Test
    void tsConfigFileNamesTheConfigFileOverTsConfig() throws Exception {
        Path dir = root.resolve("ts-config-file");
        int[] ports = ServerProcess.freePorts(3);
        Path named = configFile(dir.resolve("named"), addressLines("http", ports));
        Path flag = configFile(dir.resolve("flag"), addressLines("http", ServerProcess.freePorts(3)));

        try (ServerProcess server = ServerProcess.launch(
                        dir,
                        arguments(dir, "--ts-config", flag.toString()),
                        Map.of("TS_CONFIG_FILE", named.toString()),
                        ports)
                .awaitHealthy()) {
            assertEquals(200, server.get(server.managementPort, "/models").statusCode());
        }
    }

    @Test
    void tsVariablesSetTheirKeysOverTheConfigFileWhenEnabled() throws Exception {
        Path dir = root.resolve("enabled");
        int[] ports = ServerProcess.freePorts(3);
        List<String> lines = new ArrayList<>(addressLines("http", ServerProcess.freePorts(3)));
        lines.add("enable_envvars_config=true");
        Path config = configFile(dir, lines);

        try (ServerProcess server = ServerProcess.launch(
                        dir,
                        arguments(dir, "--ts-config", config.toString()),
                        Map.of(
                                "TS_INFERENCE_ADDRESS",
                                "http://127.0.0.1:" + ports[0],
                                "TS_MANAGEMENT_ADDRESS",
                                "http://127.0.0.1:" + ports[1],
                                "TS_METRICS_ADDRESS",
                                "http://127.0.0.1:" + ports[2]),
                        ports)
                .awaitHealthy()) {
            assertEquals(200, server.get(server.metricsPort, "/metrics").statusCode());
            assertEquals(
                    1,
                    server.logged("TS_INFERENCE_ADDRESS sets inference_address (enable_envvars_config=true)"),
                    server.log());
        }
    }

    @Test
    void tsVariablesAreIgnoredAndSaidSoWhenNotEnabled() throws Exception {
        Path dir = root.resolve("not-enabled");
        int[] ports = ServerProcess.freePorts(3);
        Path config = configFile(dir, addressLines("http", ports));

        try (ServerProcess server = ServerProcess.launch(
                        dir,
                        arguments(dir, "--ts-config", config.toString()),
                        Map.of("TS_INFERENCE_ADDRESS", "http://127.0.0.1:1", "TS_MAX_REQUEST_SIZE", "10"),
                        ports)
                .awaitHealthy()) {
            assertEquals(200, server.get(server.managementPort, "/models").statusCode());
            assertEquals(
                    1,
                    server.logged("TS_INFERENCE_ADDRESS, TS_MAX_REQUEST_SIZE set but not applied: TorchServe's"
                            + " TS_* variables apply with enable_envvars_config=true in config.properties"),
                    server.log());
        }
    }

    @Test
    void pemKeysServeTlsToAClientTrustingTheCertificateAndRefusePlainHttp() throws Exception {
        Path dir = root.resolve("pem");
        int[] ports = ServerProcess.freePorts(3);
        List<String> lines = new ArrayList<>(addressLines("https", ports));
        lines.addAll(List.of("certificate_file=" + fixture("cert.pem"), "private_key_file=" + fixture("key.pem")));
        Path config = configFile(dir, lines);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(trusting(fixture("cert.pem")))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI ping = URI.create("https://127.0.0.1:" + ports[0] + "/ping");

        try (ServerProcess server =
                ServerProcess.launch(dir, arguments(dir, "--config", config.toString()), Map.of(), ports)) {
            HttpResponse<String> answer = awaitAnswer(server, https, ping);

            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("Healthy"), answer.body());
            HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/ping"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertThrows(
                    IOException.class,
                    () -> server.http.send(plain, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP on the TLS port");
        }
    }

    /**
     * @return the first answer to the request once the server has started (its listeners answer
     *     "Unhealthy" while the rest starts); fails after 120 s or when it exits
     */
    private static HttpResponse<String> awaitAnswer(ServerProcess server, HttpClient client, URI uri) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (!answer.body().contains("Unhealthy")) {
                    return answer;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No answer from " + uri + ":\n" + server.log());
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry(
                    "serval", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        return ssl;
    }

    static Stream<Arguments> refusals() {
        String cert = fixture("cert.pem").toString();
        return Stream.of(
                Arguments.of(
                        "an encrypted key",
                        List.of("certificate_file=" + cert, "private_key_file=" + fixture("key-encrypted.pem")),
                        Map.of(),
                        "config.properties: private_key_file " + fixture("key-encrypted.pem")
                                + " is encrypted; Serval reads an unencrypted key; openssl pkcs8 -topk8 -nocrypt"),
                Arguments.of(
                        "a key of another certificate",
                        List.of("certificate_file=" + cert, "private_key_file=" + fixture("ec-key.pem")),
                        Map.of(),
                        "is not the key of certificate_file " + cert),
                Arguments.of(
                        "a missing key file",
                        List.of("certificate_file=" + cert, "private_key_file=" + root.resolve("missing.pem")),
                        Map.of(),
                        "config.properties: private_key_file " + root.resolve("missing.pem") + " does not exist"),
                Arguments.of(
                        "a keystore besides PEM keys",
                        List.of(
                                "certificate_file=" + cert,
                                "private_key_file=" + fixture("key.pem"),
                                "keystore=serval.p12",
                                "keystore_pass=x"),
                        Map.of(),
                        "config.properties: keystore and certificate_file are both set"),
                Arguments.of(
                        "an https address without keys",
                        List.of(),
                        Map.of(),
                        "needs keystore and keystore_pass, or certificate_file and private_key_file"),
                Arguments.of(
                        "a malformed TS_ variable",
                        List.of("enable_envvars_config=true"),
                        Map.of("TS_JOB_QUEUE_SIZE", "many"),
                        "TS_JOB_QUEUE_SIZE is not a number: many"),
                Arguments.of(
                        "a TS_CONFIG_FILE that is not there",
                        List.of(),
                        Map.of(
                                "TS_CONFIG_FILE",
                                root.resolve("missing.properties").toString()),
                        "TS_CONFIG_FILE " + root.resolve("missing.properties") + " is not a file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void whatCannotServeIsRefusedAtStartInOneLine(
            String name, List<String> lines, Map<String, String> environment, String expected) throws Exception {
        Path dir = root.resolve("refused-" + name.replace(' ', '-'));
        List<String> all = new ArrayList<>(addressLines("https", new int[] {0, 0, 0}));
        all.addAll(lines);
        Path config = configFile(dir, all);

        assertRefusedInOneLine(
                ServerProcess.exit(
                        arguments(dir, "--config", config.toString()), environment, dir.resolve("output.log")),
                expected);
    }

    @Test
    void aMalformedAddressFlagIsRefusedInOneLine() throws Exception {
        Path dir = Files.createDirectories(root.resolve("bad-flag"));

        assertRefusedInOneLine(
                ServerProcess.exit(
                        arguments(dir, "--inference-address", "ftp://127.0.0.1:1"),
                        Map.of(),
                        dir.resolve("output.log")),
                "serval: --inference-address: Addresses are http:// or https://");
    }
}
