package dev.serval.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, for what {@code java.net.http} will not send: a
 * {@code Host} of the test's choosing (a browser's after DNS rebinding), a WebSocket upgrade with
 * an {@code Origin} whose refusal's body is read.
 */
final class RawHttp {

    /** The headers of a WebSocket upgrade (RFC 6455's sample key). */
    static final List<String> UPGRADE = List.of(
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13");

    private RawHttp() {}

    /**
     * @param status the status code
     * @param headers the header fields, names lower-cased
     * @param body the body as text; empty for a 101
     */
    record Response(int status, Map<String, String> headers, String body) {}

    /**
     * @param port a loopback port
     * @param target the request line's method and path, e.g. {@code GET /ping}
     * @param host the {@code Host} header
     * @param headers more header lines, {@code Name: value}
     * @return the answer; for a 101, its head only
     */
    static Response send(int port, String target, String host, List<String> headers) throws IOException {
        StringBuilder request = new StringBuilder(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append("\r\n");
        headers.forEach(header -> request.append(header).append("\r\n"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            return read(socket.getInputStream());
        }
    }

    /**
     * @param in a connection's input, where an answer begins
     * @return the answer, read whole (for a 101, its head only): the connection may carry another
     */
    static Response read(InputStream in) throws IOException {
        String[] head = line(in).split(" ", 3);
        Map<String, String> fields = new HashMap<>();
        for (String field = line(in); !field.isEmpty(); field = line(in)) {
            int colon = field.indexOf(':');
            fields.put(
                    field.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    field.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(head[1]);
        return new Response(status, fields, status == 101 ? "" : body(in, fields));
    }

    private static String body(InputStream in, Map<String, String> fields) throws IOException {
        if (fields.containsKey("content-length")) {
            return new String(in.readNBytes(Integer.parseInt(fields.get("content-length"))), StandardCharsets.UTF_8);
        }
        if (!"chunked".equalsIgnoreCase(fields.get("transfer-encoding"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
            body.write(in.readNBytes(size));
            line(in);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** @return the next line, its CRLF dropped */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
