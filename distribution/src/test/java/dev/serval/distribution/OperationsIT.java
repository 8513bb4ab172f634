package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What operators and orchestrators see of a running server: its metrics and its token
 * authorization, over HTTP against the built distribution.
 */
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIGITS = "{model_name=\"digits\",model_version=\"1.0\"}";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        server = ServerProcess.start(root, store);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void metricsCountTheRequestsSent() throws Exception {
        PrometheusText before = scrape();
        for (int i = 0; i < 4; i++) {
            assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        }
        assertEquals(
                400,
                server.predict("/predictions/digits", new byte[] {1, 2, 3}, "PUT")
                        .statusCode());
        assertEquals(404, server.predict("/predictions/nothing", png, "PUT").statusCode());

        PrometheusText after = scrape();

        assertEquals(5, delta(before, after, "serval_requests_total" + DIGITS), after.toString());
        assertEquals(5, delta(before, after, "serval_queue_wait_seconds_count" + DIGITS));
        // the bad image failed in the handler: four requests were answered by it
        assertEquals(4, delta(before, after, "serval_inference_duration_seconds_count" + DIGITS));
        assertEquals(4, delta(before, after, "serval_batch_size_count" + DIGITS));
        assertEquals(4, delta(before, after, "serval_responses_total{status_class=\"2XX\"}"));
        assertEquals(2, delta(before, after, "serval_responses_total{status_class=\"4XX\"}"));
        assertEquals(0, delta(before, after, "serval_responses_total{status_class=\"5XX\"}"));
        assertTrue(after.count("serval_inference_duration_seconds_sum" + DIGITS) > 0);
        assertEquals(1, after.count("serval_workers_ready" + DIGITS));
        assertEquals(0, after.count("serval_queue_depth" + DIGITS));
        assertTrue(after.count("serval_model_load_seconds" + DIGITS) > 0);
        assertTrue(after.count("jvm_memory_used_bytes{area=\"heap\"}") > 0, after.toString());
        assertTrue(after.count("jvm_threads_current") > 0);
    }

    @Test
    void metricsAreFilteredByName() throws Exception {
        HttpResponse<String> response = server.get(
                server.metricsPort,
                "/metrics?name%5B%5D=ts_inference_requests_total&name%5B%5D=jvm_threads_current"
                        + "&name%5B%5D=serval_jvm_allocated_bytes_total");

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        PrometheusText text = new PrometheusText(response.body());
        assertTrue(text.hasFamily("ts_inference_requests_total"), response.body());
        assertTrue(text.hasFamily("jvm_threads_current"), response.body());
        // a counter with a callback, which the registry offers the filter without its _total
        assertTrue(text.count("serval_jvm_allocated_bytes_total") > 0, response.body());
        assertEquals(
                3, response.body().lines().filter(l -> l.startsWith("# TYPE")).count(), response.body());
    }

    @Test
    void everyApiButTheHealthProbeWantsItsKey() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri(server.inferencePort, "/predictions/digits"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png)));
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri(server.managementPort, "/models"))
                .header("Authorization", "Bearer " + server.key("inference")));
        HttpResponse<String> ping = send(HttpRequest.newBuilder(uri(server.inferencePort, "/ping")));

        assertUnauthorized(none);
        assertUnauthorized(wrong);
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals(200, server.get(server.managementPort, "/models").statusCode());
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
    }

    @Test
    void theApiKeyRenewsTheInferenceKey() throws Exception {
        String old = server.key("inference");
        HttpResponse<String> withManagementKey = send(server.request(server.managementPort, "/token?type=inference"));
        assertUnauthorized(withManagementKey);

        HttpResponse<String> renewed = send(HttpRequest.newBuilder(uri(server.managementPort, "/token?type=inference"))
                .header("Authorization", "Bearer " + server.key("API")));

        assertEquals(200, renewed.statusCode(), renewed.body());
        server.reloadKeys();
        assertEquals(
                server.key("inference"),
                JSON.readTree(renewed.body()).get("inference").get("key").asText());
        assertNotEquals(old, server.key("inference"));
        assertEquals(200, server.predict("/predictions/digits", png, "PUT").statusCode());
        assertUnauthorized(send(HttpRequest.newBuilder(uri(server.inferencePort, "/predictions/digits"))
                .header("Authorization", "Bearer " + old)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png))));
        HttpResponse<String> badType = send(HttpRequest.newBuilder(uri(server.managementPort, "/token?type=API"))
                .header("Authorization", "Bearer " + server.key("API")));
        assertEquals(400, badType.statusCode(), badType.body());
    }

    private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(
                "InvalidKeyException",
                JSON.readTree(response.body()).get("type").asText());
        assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return server.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static PrometheusText scrape() throws Exception {
        HttpResponse<String> response = server.get(server.metricsPort, "/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return new PrometheusText(response.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String series) {
        return after.count(series) - before.count(series);
    }
}
