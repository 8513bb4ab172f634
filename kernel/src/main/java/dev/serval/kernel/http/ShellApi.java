package dev.serval.kernel.http;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.config.ShellAccess;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's shell over a WebSocket on the management listener, for {@code bin/serval shell}:
 * each connection is a shell session, each text message a command line, answered by one message
 * {@code {"output": ..., "failed": ...}}. Connections from other machines are refused even when
 * the management API listens on every interface: the shell can stop bundles, so it stays local.
 * As {@link ShellAccess} says, it is off, {@link RestrictedSession restricted} to a list of
 * commands, or the whole Gogo shell.
 */
public final class ShellApi implements Consumer<Javalin> {

    /** The WebSocket's path. */
    public static final String PATH = "/shell";

    /** Why the shell is refused when {@link ShellAccess#OFF off}. */
    public static final String OFF_REASON = "The remote shell is off: it opens by default only when token"
            + " authorization is on; enable_remote_shell=true opens it, without a key if there is none";

    private static final Logger LOG = LoggerFactory.getLogger(ShellApi.class);

    private final Supplier<Optional<CommandShell>> shell;
    private final ShellAccess access;
    private final boolean modelApiEnabled;
    private final Map<String, CommandShell.Session> sessions = new ConcurrentHashMap<>();

    /**
     * @param shell the framework's shell, while its bundle is active
     * @param access what remote sessions may run
     * @param modelApiEnabled whether a restricted session may register and unregister models
     */
    public ShellApi(Supplier<Optional<CommandShell>> shell, ShellAccess access, boolean modelApiEnabled) {
        this.shell = shell;
        this.access = access;
        this.modelApiEnabled = modelApiEnabled;
    }

    @Override
    public void accept(Javalin app) {
        switch (access) {
            case OFF -> LOG.info("Remote shell off: set enable_remote_shell=true to open it");
            case RESTRICTED -> LOG.info("Remote shell on, restricted to the serval:* commands, lb, headers and help");
            case FULL ->
                LOG.warn("Remote shell on, the whole Gogo shell: enable_remote_shell_code_execution=true lets"
                        + " whoever reaches it run code as this server's user");
        }
        app.wsBeforeUpgrade(PATH, this::admit);
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                CommandShell.Session session =
                        shell.get().orElseThrow(ShellApi::unavailable).open();
                sessions.put(
                        ctx.sessionId(),
                        access == ShellAccess.FULL ? session : new RestrictedSession(session, modelApiEnabled));
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
        if (access == ShellAccess.OFF) {
            throw new ServingException(403, "ForbiddenException", OFF_REASON);
        }
        if (!OwnHosts.isLoopback(ctx.req().getRemoteAddr())) {
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

    private static ServingException unavailable() {
        return new ServingException(
                503, "ServiceUnavailableException", "The shell bundle dev.serval.shell is not active");
    }
}
