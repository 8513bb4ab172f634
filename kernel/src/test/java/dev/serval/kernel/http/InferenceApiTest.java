package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.sdk.Request;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request a handler is given, built from what Jetty parsed off the wire. */
class InferenceApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Javalin app;

    @BeforeEach
    void start() {
        app = Javalin.create(config -> config.showJavalinBanner = false)
                .post("/echo", ctx -> {
                    Request request = InferenceApi.toRequest(ctx, ctx.bodyAsBytes());
                    Map<String, Object> seen = new LinkedHashMap<>();
                    seen.put("tags", request.headers().get("x-tag"));
                    seen.put("firstTag", request.header("X-TAG").orElse(null));
                    seen.put("single", request.headers().get("X-Single"));
                    seen.put("query", request.queryParameters().get("a"));
                    seen.put("contentType", request.contentType().orElse(null));
                    seen.put("body", request.bodyAsString());
                    ctx.json(seen);
                })
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void everyValueOfARepeatedHeaderReachesTheHandlerInTheOrderSent() throws Exception {
        JsonNode seen = post("/echo?a=1&a=2", "X-Tag: first", "X-Single: one, two", "x-tag: second", "X-TAG: third");

        // Context.headerMap() kept the first value alone.
        assertEquals(List.of("first", "second", "third"), strings(seen.get("tags")));
        assertEquals("first", seen.get("firstTag").asText());
        // A value with a comma is one value, as sent: splitting it is the handler's call.
        assertEquals(List.of("one, two"), strings(seen.get("single")));
        assertEquals(List.of("1", "2"), strings(seen.get("query")));
        assertEquals("text/plain", seen.get("contentType").asText());
        assertEquals("hello", seen.get("body").asText());
    }

    /** Sends the request over a socket: the JDK's client may fold repeated headers into one. */
    private JsonNode post(String path, String... headers) throws Exception {
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ")
                .append(body.length)
                .append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = read(socket.getInputStream());
            assertEquals("HTTP/1.1 200 OK", answer.substring(0, answer.indexOf("\r\n")), answer);
            return JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    private static String read(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
