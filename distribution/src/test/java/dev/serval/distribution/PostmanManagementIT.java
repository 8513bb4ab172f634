package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchServe's own management API test data, {@code test/postman/management_data.json} of
 * pytorch/serve (82 calls, run in order, each with the status code TorchServe answers), run
 * against the built server as TorchServe's postman collection runs it: token authorization off,
 * the model API on, no default workers ({@code default_workers_per_model} unset, as in TorchServe's
 * test configuration).
 *
 * <p>The archives the calls name ({@code {{mar_path_squeezenet1_1}}}, a model zoo URL) are local
 * copies: the digits model archived under each name, without serving settings as the zoo's are;
 * a zoo URL of one of them names its file in the model store (Serval downloads nothing), and the
 * zoo URL of an archive that does not exist stays a URL. Every call must get
 * TorchServe's status, except those in {@link #DIFFERENCES}, README's "Differences from
 * TorchServe", where TorchServe's answer hides a client error. The tally is written to
 * {@code target/postman-management.txt}.
 */
class PostmanManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZOO = "https://torchserve.pytorch.org/mar_files/";
    private static final List<String> ARCHIVES =
            List.of("squeezenet1_1", "mnist", "densenet161", "resnet-152-batch", "resnet-18");

    /**
     * The calls answered otherwise on purpose, by their index, with Serval's status: a
     * re-registration is a 409 (TorchServe: 500), a parameter that is not a whole number or a
     * negative worker count a 400 (TorchServe takes the default, or answers 500), and so the
     * unregister call after each of those registrations finds no model (404); an empty {@code url}
     * is a missing one (400, TorchServe: 404). A handler naming TorchServe's own
     * {@code ts/torch_handler/image_classifier.py} is served by the built-in Java handler of that name.
     */
    private static final Map<Integer, Integer> DIFFERENCES =
            Map.of(3, 409, 35, 400, 36, 404, 37, 400, 38, 404, 39, 400, 40, 404, 56, 400, 62, 400, 68, 400);

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        server = ServerProcess.start(
                root,
                store,
                "enable_model_api=true",
                "disable_token_authorization=true",
                "default_workers_per_model=0");
        // Into the store after the start, so that load_models=all serves none of them.
        for (String name : ARCHIVES) {
            Archives.withoutServingSettings(store.resolve(name + ".mar"), name);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void answersTorchServesPostmanCollectionWithItsStatusCodes() throws Exception {
        JsonNode cases;
        try (InputStream data = Files.newInputStream(Path.of("src/test/resources/torchserve/management_data.json"))) {
            cases = JSON.readTree(data);
        }
        List<String> lines = new ArrayList<>();
        Map<Integer, Integer> differing = new TreeMap<>();
        int same = 0;
        for (int i = 0; i < cases.size(); i++) {
            JsonNode call = cases.get(i);
            int expected = call.path("status_code").asInt(200);
            int actual = send(
                    call.get("METHOD").asText().toUpperCase(),
                    localPath(call.get("path").asText()));
            if (actual == expected) {
                same++;
            } else {
                differing.put(i, actual);
            }
            lines.add("%2d %s %3d %3d %s %s"
                    .formatted(
                            i,
                            actual == expected ? "  " : "!=",
                            expected,
                            actual,
                            call.get("METHOD").asText(),
                            call.get("path").asText()));
        }
        lines.add(same + " of " + cases.size() + " answered with TorchServe's status code");
        Files.write(Path.of("target/postman-management.txt"), lines);
        System.out.println(String.join("\n", lines));
        assertEquals(DIFFERENCES, differing, "calls answered otherwise than TorchServe, not in README's differences");
    }

    /** @return the call's path with its archives in the model store */
    private static String localPath(String path) {
        String local = path;
        for (String name : ARCHIVES) {
            local = local.replace("{{mar_path_" + name + "}}", name + ".mar")
                    .replace(ZOO + name + ".mar", name + ".mar");
        }
        return "/" + local;
    }

    private static int send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
