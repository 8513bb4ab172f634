package dev.serval.kernel.http;

import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.model.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the server's HTTP listeners (inference, management), with TorchServe's error JSON for
 * every failure, unknown routes included.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Pretty-printed as TorchServe prints: {@code "key": value}, two-space indent. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    /** Marks a response whose error JSON is written already. */
    private static final String ERROR_WRITTEN = "serval.error";

    private final String name;
    private final Javalin app;

    private ApiServer(String name, Javalin app) {
        this.name = name;
        this.app = app;
    }

    /**
     * @param name the listener's name, for logs
     * @param address where to listen
     * @param routes adds the endpoints
     * @return the started server
     */
    public static ApiServer start(String name, Address address, Consumer<Javalin> routes) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(JSON, false));
        });
        app.exception(ServingException.class, (e, ctx) -> error(ctx, e.status(), e.type(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} API: {} {} failed", name, ctx.method(), ctx.path(), e);
            error(ctx, 500, "InternalServerException", "Internal server error");
        });
        // Javalin's own 404 and 405 answers, for routes that do not exist, become TorchServe's JSON.
        app.error(404, ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
                error(ctx, 404, "ResourceNotFoundException", "Requested resource is not found, please refer to API document.");
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
                error(ctx, 405, "MethodNotAllowedException", "Requested method is not allowed, please refer to API document.");
            }
        });
        routes.accept(app);
        app.start(address.host(), address.port());
        LOG.info("{} API listening on http://{}:{}", name, address.host(), app.port());
        return new ApiServer(name, app);
    }

    /** @return the port it listens on (useful when started on port 0) */
    public int port() {
        return app.port();
    }

    /** Writes TorchServe's error JSON. */
    static void error(Context ctx, int status, String type, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("type", type);
        body.put("message", message);
        ctx.attribute(ERROR_WRITTEN, true);
        ctx.status(status).json(body);
    }

    @Override
    public void close() {
        app.stop();
        LOG.info("{} API stopped", name);
    }
}
