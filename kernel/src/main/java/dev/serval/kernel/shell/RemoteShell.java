package dev.serval.kernel.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.kernel.api.CommandShell;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A session with a running server's shell, over the management listener's WebSocket
 * ({@code /shell}): one command line out, one outcome back.
 */
public final class RemoteShell implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final Replies replies;

    private RemoteShell(WebSocket socket, Replies replies) {
        this.socket = socket;
        this.replies = replies;
    }

    /**
     * @param uri {@code ws://host:port/shell} (or {@code wss://})
     * @param managementKey the management key, when the server checks keys
     * @return the connected session
     * @throws IOException when the server refuses the connection or cannot be reached, saying why
     */
    public static RemoteShell connect(URI uri, Optional<String> managementKey) throws IOException {
        Replies replies = new Replies();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        managementKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        try {
            return new RemoteShell(builder.buildAsync(uri, replies).join(), replies);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                throw new IOException(uri + " refused the shell: HTTP "
                        + refused.getResponse().statusCode() + (body != null ? " " + body : ""));
            }
            throw new IOException("No shell at " + uri + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * @param line a command line
     * @return what it printed, and whether it failed
     * @throws IOException when the connection is lost
     * @throws InterruptedException when interrupted while waiting for the answer
     */
    public CommandShell.Outcome execute(String line) throws IOException, InterruptedException {
        CompletableFuture<String> reply = replies.expect();
        socket.sendText(line, true);
        try {
            return JSON.readValue(reply.get(), CommandShell.Outcome.class);
        } catch (ExecutionException e) {
            throw new IOException(
                    "Connection to the shell lost: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    /** Assembles each reply from its frames and hands it to the command waiting for it. */
    private static final class Replies implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();
        private volatile CompletableFuture<String> pending = new CompletableFuture<>();

        CompletableFuture<String> expect() {
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                pending.complete(text.toString());
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            pending.completeExceptionally(new IOException("closed by the server (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            pending.completeExceptionally(error);
        }
    }
}
