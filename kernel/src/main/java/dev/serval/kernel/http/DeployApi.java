package dev.serval.kernel.http;

import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code PUT /server/deploy/{file}}: writes the body into the deploy folder, as if the file had
 * been copied there (the web console's drop zone), so that the deploy folder's watchers serve it:
 * a model archive ({@code .mar}, {@code .zip}, or a {@code .jar} of a model folder) or a handler
 * bundle ({@code .jar}). A handler bundle is code, and a model archive may bring one: it is allowed
 * only with {@code enable_model_api}, as registering is. The file is written under a name the
 * watchers ignore, then renamed, so that they never see a part of it.
 */
final class DeployApi implements Consumer<Javalin> {

    /** A plain file name of the kinds the deploy folder serves; no path, no leading dot. */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,250}\\.(mar|zip|jar)");

    private final Path deployDir;
    private final boolean modelApiEnabled;
    private final BodyReader bodies;

    /**
     * @param deployDir the deploy folder
     * @param modelApiEnabled whether files may be written into it
     * @param bodies reads the bodies, within max_request_size
     */
    DeployApi(Path deployDir, boolean modelApiEnabled, BodyReader bodies) {
        this.deployDir = deployDir;
        this.modelApiEnabled = modelApiEnabled;
        this.bodies = bodies;
    }

    @Override
    public void accept(Javalin app) {
        app.put("/server/deploy/{file}", this::deploy);
    }

    private void deploy(Context ctx) {
        if (!modelApiEnabled) {
            throw new ServingException(405, "MethodNotAllowedException", ManagementCalls.MODEL_API_DISABLED);
        }
        String name = ctx.pathParam("file");
        if (!FILE.matcher(name).matches() || name.contains("..")) {
            throw new ServingException(
                    400,
                    "BadRequestException",
                    "A deployed file is named as letters, digits, '.', '_'"
                            + " and '-', starting with a letter or digit, and ends in .mar, .zip or .jar");
        }
        ctx.future(() -> bodies.read(ctx.req()).thenAccept(body -> {
            boolean replaced = write(name, body);
            ctx.status(replaced ? 200 : 201)
                    .json(Map.of(
                            "status",
                            "deploy/" + name + (replaced ? " replaced" : " written")
                                    + ": the deploy folder serves it once it loads"));
        }));
    }

    /** @return whether a file of that name was replaced */
    private boolean write(String name, byte[] body) {
        try {
            Path target = deployDir.resolve(name);
            boolean replaced = Files.exists(target);
            // A leading dot and no .jar ending: neither watcher looks at the file while it is written.
            Path part = Files.createTempFile(deployDir, ".upload-", ".part");
            try {
                Files.write(part, body);
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
            return replaced;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
