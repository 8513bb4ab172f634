package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.model.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The framework's shell over a WebSocket on the management listener, for {@code bin/serval shell}:
 * each connection is a shell session, each text message a command line, answered by one message
 * {@code {"output": ..., "failed": ...}}. Connections from other machines are refused even when
 * the management API listens on every interface: the shell can stop bundles, so it stays local.
 */
public final class ShellApi implements Consumer<Javalin> {

    /** The WebSocket's path. */
    public static final String PATH = "/shell";

    private final Supplier<Optional<CommandShell>> shell;
    private final Map<String, CommandShell.Session> sessions = new ConcurrentHashMap<>();

    /** @param shell the framework's shell, while its bundle is active */
    public ShellApi(Supplier<Optional<CommandShell>> shell) {
        this.shell = shell;
    }

    @Override
    public void accept(Javalin app) {
        app.wsBeforeUpgrade(PATH, this::admit);
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                CommandShell available = shell.get().orElseThrow(ShellApi::unavailable);
                sessions.put(ctx.sessionId(), available.open());
                // A session idle at the prompt outlives Jetty's idle timeout by being pinged.
                ctx.enableAutomaticPings();
            });
            ws.onMessage(ctx -> {
                CommandShell.Session session = sessions.get(ctx.sessionId());
                ctx.send(session.execute(ctx.message()));
            });
            ws.onClose(this::end);
            ws.onError(this::end);
        });
    }

    private void admit(Context ctx) {
        if (!isLoopback(ctx.req().getRemoteAddr())) {
            throw new ServingException(403, "ForbiddenException", "The shell takes connections from this machine only");
        }
        if (shell.get().isEmpty()) {
            throw unavailable();
        }
    }

    private void end(WsContext ctx) {
        ctx.disableAutomaticPings();
        CommandShell.Session session = sessions.remove(ctx.sessionId());
        if (session != null) {
            session.close();
        }
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static ServingException unavailable() {
        return new ServingException(503, "ServiceUnavailableException", "The shell bundle dev.serval.shell is not active");
    }
}
