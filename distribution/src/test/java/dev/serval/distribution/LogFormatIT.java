package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log on the process's standard output, one event a line: plain by default, as before the
 * move to Logback; with {@code log_format=json}, each line a JSON object that a log pipeline
 * parses, the access log's lines among them.
 */
class LogFormatIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code 2026-12-01T16:44:59.123 [main] INFO Serval - message}: slf4j-simple's lines, as they were. */
    private static final Pattern PLAIN = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^\\]]+\\] (INFO|WARN|ERROR) [\\w$]+ - .*");

    @TempDir
    static Path root;

    private static Path store;

    @BeforeAll
    static void store() throws Exception {
        store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
    }

    private static byte[] digit() throws java.io.IOException {
        return Reference.input(Archives.DIGITS, Reference.cases(Archives.DIGITS).get(0));
    }

    @Test
    void withLogFormatJsonEveryLineOnStdoutIsAnEventAndStderrIsEmpty() throws Exception {
        Path dir = Files.createDirectories(root.resolve("json"));
        int[] ports = ServerProcess.freePorts(5);
        Path config = ServerProcess.config(dir, ports, store, "disable_token_authorization=true", "log_format=json");
        Path out = dir.resolve("stdout.log");
        Path err = dir.resolve("stderr.log");
        Process server = ServerProcess.isolated(
                        new ProcessBuilder(
                                ServerProcess.command(List.of(), config, dir.resolve("deploy"), dir.resolve("work"))),
                        dir)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI ping = URI.create("http://127.0.0.1:" + ports[0] + "/ping");
            ServerProcess.waitFor(Duration.ofSeconds(120), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            HttpResponse<String> predicted = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/predictions/digits"))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(digit()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, predicted.statusCode(), predicted.body());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }

        assertEquals(0, server.exitValue(), Files.readString(out));
        assertEquals("", Files.readString(err));
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.get("level").isTextual(), line);
            assertTrue(event.get("loggerName").isTextual(), line);
            messages.add(event.get("loggerName").asText() + ": "
                    + event.get("formattedMessage").asText());
        }
        String all = String.join("\n", messages);
        // Logged as the file was read, before the log knew its format.
        assertTrue(
                all.contains("dev.serval.kernel.config.ServerConfig: config.properties: key 'some_torchserve_key'"),
                all);
        assertTrue(all.contains("dev.serval.access: Inference 127.0.0.1 \"PUT /predictions/digits\" 200"), all);
        assertTrue(all.contains("dev.serval.kernel.Serval: Serval stopped"), all);
    }

    @Test
    void byDefaultEveryLineIsPlainAsBefore() throws Exception {
        Path dir = Files.createDirectories(root.resolve("plain"));
        try (ServerProcess server = ServerProcess.start(dir, store)) {
            server.predict("/predictions/digits", digit(), "PUT");
            server.close();
            List<String> lines = server.log().lines().toList();
            assertTrue(
                    lines.stream().anyMatch(line -> line.contains("[main] INFO Serval - Serval started in")),
                    server.log());
            for (String line : lines) {
                assertTrue(PLAIN.matcher(line).matches(), line);
            }
        }
    }
}
