package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import inference.GRPCInferenceServiceGrpc;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image, built from {@code distribution/Containerfile} with the README's command, and run
 * with podman exactly as the repository's manifests declare it: {@code kubernetes/serval.yaml}'s
 * Deployment and {@code kubernetes/kserve}'s runtime with its InferenceServices, read from the
 * YAML. This machine pulls from no registry, so the base image is made here from Debian's
 * packages. The models are KServe's TorchServe layout ({@code model-store/},
 * {@code config/config.properties}), held to PyTorch's numbers.
 */
class ImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REPOSITORY = Path.of(System.getProperty("serval.repository", ".."));
    private static final Path KUBERNETES = REPOSITORY.resolve("kubernetes");
    /** The image the README builds, which the manifests name. */
    private static final String IMAGE = "localhost/serval:0.1.0";

    private static final String BASE = "localhost/serval-test-base:bookworm";
    private static final int CLIENTS = 16;
    /** In the containers' names: two builds on one machine leave each other's containers alone. */
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    static Path root;

    private static Podman podman;
    private static Path models;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void build() throws Exception {
        podman = Podman.on(root);
        if (podman.exec(List.of("image", "exists", BASE), 30).exit() != 0) {
            long start = System.nanoTime();
            Path tarball = root.resolve("base.tar");
            // Debian's Java and nothing else (bash and coreutils are essential): what BASE needs.
            Podman.Result made = podman.command(
                    List.of(
                            "mmdebstrap",
                            "--variant=apt",
                            "--include=openjdk-17-jre-headless",
                            "--dpkgopt=path-exclude=/usr/share/doc/*",
                            "bookworm",
                            tarball.toString()),
                    600);
            assertEquals(0, made.exit(), made.output());
            podman.run("import", tarball.toString(), BASE);
            Files.delete(tarball);
            System.out.printf("Base image %s made from Debian's packages in %d s%n", BASE, seconds(start));
        }
        long start = System.nanoTime();
        Optional<String> previous = imageId(IMAGE);
        podman.run(
                "build",
                "--format",
                "docker",
                "--build-arg",
                "BASE=" + BASE,
                "-f",
                REPOSITORY.resolve("distribution/Containerfile").toString(),
                "-t",
                IMAGE,
                ServerProcess.DIST.toAbsolutePath().toString());
        // The image the tag named before, untagged now: left, each build would keep another 1 GB.
        if (previous.isPresent() && !previous.equals(imageId(IMAGE))) {
            podman.exec(List.of("rmi", previous.get()), 60);
        }
        long bytes = Long.parseLong(podman.run("image", "inspect", "--format", "{{.Size}}", IMAGE));
        System.out.printf(
                "Image %s built in %d s: %d MiB (base %d MiB)%n",
                IMAGE,
                seconds(start),
                bytes >> 20,
                Long.parseLong(podman.run("image", "inspect", "--format", "{{.Size}}", BASE)) >> 20);
        models = kserveLayout(root.resolve("models"));
    }

    /** The Deployment's container: probes, both example models, its user and root filesystem, and a drain. */
    @Test
    void runsAsTheDeploymentDeclares() throws Exception {
        Path manifest = KUBERNETES.resolve("serval.yaml");
        ContainerSpec spec = ContainerSpec.deployment(manifest);
        assertEquals(IMAGE, spec.image());
        try (Container container = Container.start(podman, spec, "serval-deployment-it-" + PID, root, models)) {
            for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                ContainerSpec.Probe probe = spec.probes().get(kind);
                HttpResponse<String> answer = get(container.port(probe.port()), probe.path());
                assertEquals(200, answer.statusCode(), kind + " " + probe + ": " + answer.body());
            }
            int http = container.port(spec.ports().get("http"));
            assertDigits(post(http, "/predictions/digits", digitsCase()));
            assertReviews(JSON.readTree(post(
                            http,
                            "/predictions/reviews_distilbert",
                            reviewsCase().get("text").asText().getBytes(StandardCharsets.UTF_8))
                    .body()));

            assertEquals("1000", podman.run("exec", container.name, "id", "-u"));
            Podman.Result write = podman.exec(List.of("exec", container.name, "touch", "/opt/serval/lib/x"), 30);
            assertTrue(write.output().contains("Read-only file system"), write.output());
            assertEquals(
                    0,
                    podman.exec(List.of("healthcheck", "run", container.name), 30)
                            .exit(),
                    "HEALTHCHECK");
            JsonNode annotations = YAML.readTree(manifest.toFile()).at("/spec/template/metadata/annotations");
            int scrape = container.port(annotations.get("prometheus.io/port").asInt());
            assertTrue(get(scrape, annotations.get("prometheus.io/path").asText())
                    .body()
                    .contains("ts_inference_requests_total"));

            String five = digitsReference().get("pred").asText();
            byte[] digit = digitsCase();
            SignalledLoad.Outcome drained = SignalledLoad.run(
                    CLIENTS,
                    Duration.ofSeconds(2),
                    (client, count) -> {
                        HttpResponse<String> response = post(http, "/predictions/digits", digit);
                        return new SignalledLoad.Answer(
                                response, topClass(response).equals(five));
                    },
                    () -> podman.run("kill", "--signal", "TERM", container.name),
                    () -> Integer.parseInt(podman.run("wait", container.name)));
            System.out.println("Drain under " + CLIENTS + " clients: " + drained);
            assertEquals(0, drained.exit(), "exit code after SIGTERM\n" + container.logs());
            drained.assertEveryAcceptedRequestAnswered();
        }
    }

    /** The KServe runtime's container with its InferenceServices' arguments: v1, v2 and gRPC v2. */
    @Test
    void runsAsTheKServeRuntimeDeclares() throws Exception {
        Path runtime = KUBERNETES.resolve("kserve/serving-runtime.yaml");
        ContainerSpec spec = ContainerSpec.kserve(runtime, KUBERNETES.resolve("kserve/inference-service.yaml"));
        assertEquals(IMAGE, spec.image());
        try (Container container = Container.start(podman, spec, "serval-kserve-it-" + PID, root, models)) {
            int http = container.port(8080); // where KServe sends REST
            ContainerSpec.Probe ready = spec.probes().get("readinessProbe");
            assertEquals(200, get(container.port(ready.port()), ready.path()).statusCode());

            ObjectNode v1 = JSON.createObjectNode();
            v1.putArray("instances").addObject().put("data", Base64.getEncoder().encodeToString(digitsCase()));
            HttpResponse<String> predicted =
                    post(http, "/v1/models/digits:predict", v1.toString().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, predicted.statusCode(), predicted.body());
            assertDigitsAnswer(
                    JSON.readTree(predicted.body()).get("predictions").get(0));

            ObjectNode v2 = JSON.createObjectNode();
            v2.putArray("inputs")
                    .addObject()
                    .put("name", "text")
                    .put("datatype", "BYTES")
                    .<ObjectNode>set("shape", JSON.createArrayNode().add(1))
                    .putArray("data")
                    .add(reviewsCase().get("text").asText());
            HttpResponse<String> inferred = post(
                    http, "/v2/models/reviews_distilbert/infer", v2.toString().getBytes(StandardCharsets.UTF_8));
            assertEquals(200, inferred.statusCode(), inferred.body());
            assertReviews(JSON.readTree(
                    JSON.readTree(inferred.body()).at("/outputs/0/data/0").asText()));

            ManagedChannel channel = NettyChannelBuilder.forAddress(
                            "127.0.0.1", container.port(spec.ports().get("h2c")))
                    .usePlaintext()
                    .build();
            try {
                var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                assertTrue(grpc.serverReady(ServerReadyRequest.getDefaultInstance())
                        .getReady());
                assertTrue(grpc.modelReady(
                                ModelReadyRequest.newBuilder().setName("digits").build())
                        .getReady());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            JsonNode annotations = YAML.readTree(runtime.toFile()).at("/spec/annotations");
            assertTrue(get(
                            container.port(spec.ports().get("metrics")),
                            annotations.get("prometheus.kserve.io/path").asText())
                    .body()
                    .contains("ts_inference_requests_total"));
        }
    }

    /** @return the id of the image the tag names, if any */
    private static Optional<String> imageId(String tag) throws Exception {
        Podman.Result inspected = podman.exec(List.of("image", "inspect", "--format", "{{.Id}}", tag), 30);
        return inspected.exit() == 0 ? Optional.of(inspected.output().trim()) : Optional.empty();
    }

    /** KServe's TorchServe layout of a storageUri, with the two example models the manifests serve. */
    private static Path kserveLayout(Path folder) throws Exception {
        Path store = Files.createDirectories(folder.resolve("model-store"));
        for (String archive : List.of("digits.mar", "reviews_distilbert.mar")) {
            Files.copy(ServerProcess.DIST.resolve("model-store").resolve(archive), store.resolve(archive));
        }
        Files.copy(
                KUBERNETES.resolve("kserve/config.properties"),
                Files.createDirectories(folder.resolve("config")).resolve("config.properties"),
                StandardCopyOption.REPLACE_EXISTING);
        return folder;
    }

    private static JsonNode digitsReference() throws Exception {
        return Reference.cases(Archives.DIGITS).get(0);
    }

    private static byte[] digitsCase() throws Exception {
        return Reference.input(Archives.DIGITS, digitsReference());
    }

    private static JsonNode reviewsCase() throws Exception {
        return Reference.cases(Archives.REVIEWS).get(0);
    }

    private static void assertDigits(HttpResponse<String> answer) throws Exception {
        assertEquals(200, answer.statusCode(), answer.body());
        assertDigitsAnswer(JSON.readTree(answer.body()));
    }

    private static void assertDigitsAnswer(JsonNode answer) throws Exception {
        assertEquals(List.of(), Reference.digitMismatches(digitsReference(), answer));
    }

    private static void assertReviews(JsonNode answer) throws Exception {
        assertEquals(List.of(), Reference.reviewMismatches(reviewsCase(), answer));
    }

    private static String topClass(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).fieldNames().next();
        } catch (Exception e) {
            return "not JSON: " + response.body();
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, byte[] body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000;
    }

    /** A container started from a spec, its ports published on free loopback ports, removed when closed. */
    private static final class Container implements AutoCloseable {

        private final Podman podman;
        final String name;
        private final Map<Integer, Integer> published;

        private Container(Podman podman, String name, Map<Integer, Integer> published) {
            this.podman = podman;
            this.name = name;
            this.published = published;
        }

        /**
         * @param folder where to make its empty folders
         * @param models the folder its models' volume binds
         * @return the container, once its startup probe, then its readiness probe, answer 200
         */
        static Container start(Podman podman, ContainerSpec spec, String name, Path folder, Path models)
                throws Exception {
            podman.exec(List.of("rm", "-f", name), 60);
            Map<Integer, Integer> published = new HashMap<>();
            int[] free = ServerProcess.freePorts(spec.ports().size());
            int i = 0;
            for (int port : spec.ports().values()) {
                published.put(port, free[i++]);
            }
            Path empty = Files.createTempDirectory(folder, name);
            List<String> run =
                    spec.runArguments(name, mount -> mount.emptyDir() ? emptyDir(empty, mount) : models, published);
            long start = System.nanoTime();
            podman.run(run.toArray(String[]::new));
            Container container = new Container(podman, name, published);
            HttpClient client = HttpClient.newHttpClient();
            // As the kubelet: the startup probe first, then readiness, which only a server with its
            // models loaded passes.
            for (String kind : List.of("startupProbe", "readinessProbe")) {
                ContainerSpec.Probe probe = spec.probes().get(kind);
                if (probe == null) {
                    continue;
                }
                URI uri = URI.create("http://127.0.0.1:" + container.port(probe.port()) + probe.path());
                try {
                    ServerProcess.waitFor(Duration.ofSeconds(120), () -> {
                        try {
                            return client.send(
                                                    HttpRequest.newBuilder(uri).build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(name + "'s " + kind + " never answered 200:\n" + container.logs(), e);
                }
                System.out.printf(
                        "%s: start to %s %s in %d ms%n",
                        name, kind, probe.path(), (System.nanoTime() - start) / 1_000_000);
            }
            return container;
        }

        /** As the kubelet makes an emptyDir: a new folder anyone may write to. */
        private static Path emptyDir(Path parent, ContainerSpec.Mount mount) {
            try {
                Path dir = Files.createDirectories(
                        parent.resolve(mount.path().substring(1).replace('/', '_')));
                Files.setPosixFilePermissions(
                        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
                return dir;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        int port(int containerPort) {
            return published.get(containerPort);
        }

        String logs() throws Exception {
            return podman.exec(List.of("logs", "--tail", "60", name), 30).output();
        }

        @Override
        public void close() throws Exception {
            podman.exec(List.of("rm", "-f", "-t", "5", name), 60);
        }
    }
}
