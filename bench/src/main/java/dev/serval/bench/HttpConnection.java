package dev.serval.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to the server, as a load generator such as wrk holds one per
 * client: a request is written in one piece, the response read by its length or chunks. Small on
 * purpose: on a 2-core machine the client's own CPU time is taken from the server.
 */
final class HttpConnection implements AutoCloseable {

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param port the loopback port to connect to, on first use */
    HttpConnection(int port) {
        this.port = port;
    }

    /**
     * @param method the HTTP method
     * @param path the request path, with any query string
     * @param input the body and its content type
     * @return the response's status and body
     * @throws IOException when the connection fails; the next call reconnects
     */
    Response send(String method, String path, Input input) throws IOException {
        open();
        try {
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
                    + input.contentType() + "\r\nContent-Length: " + input.body().length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[headBytes.length + input.body().length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(input.body(), 0, request, headBytes.length, input.body().length);
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Connects, unless connected already.
     *
     * @throws IOException when the server does not accept the connection in time
     */
    void open() throws IOException {
        if (socket != null) {
            return;
        }
        Socket connecting = new Socket();
        try {
            connecting.setTcpNoDelay(true);
            connecting.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            connecting.setSoTimeout(60_000);
            in = new BufferedInputStream(connecting.getInputStream(), 16 * 1024);
            out = connecting.getOutputStream();
        } catch (IOException e) {
            connecting.close();
            throw e;
        }
        socket = connecting;
    }

    private Response readResponse() throws IOException {
        String status = readLine();
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close");
                default -> {
                    // not needed to read the body
                }
            }
        }
        byte[] body = chunked ? readChunks() : readBytes(Math.toIntExact(Math.max(length, 0)));
        if (close) {
            close();
        }
        return new Response(code, body);
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!readLine().isEmpty()) {
                    // trailers, none expected
                }
                return body.toByteArray();
            }
            body.write(readBytes(length));
            readLine();
        }
    }

    private byte[] readBytes(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("Response ended after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }

    /**
     * @param status the HTTP status
     * @param body the response body
     */
    record Response(int status, byte[] body) {

        /** @return the body as text */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
