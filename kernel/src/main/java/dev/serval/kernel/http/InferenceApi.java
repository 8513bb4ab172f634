package dev.serval.kernel.http;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.manage.Health;
import dev.serval.sdk.Request;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/** TorchServe's inference API: {@code /ping} and {@code /predictions/{model}[/{version}]}. */
public final class InferenceApi implements Consumer<Javalin> {

    /** The health probe, answered without a key: orchestrators call it without one. */
    public static final Set<String> OPEN_PATHS = Set.of("/ping");

    private final Catalog registry;
    private final Supplier<Health> health;
    private final Answers answers;

    /**
     * @param registry the models to serve
     * @param health the start-up models' readiness, now
     * @param answers reads bodies and sends answers
     */
    InferenceApi(Catalog registry, Supplier<Health> health, Answers answers) {
        this.registry = registry;
        this.health = health;
        this.answers = answers;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/ping", this::ping);
        Handler predict = this::predict;
        // TorchServe takes PUT as well: `curl -T image.jpg` sends one.
        for (String path : List.of("/predictions/{model}", "/predictions/{model}/{version}")) {
            app.post(path, predict);
            app.put(path, predict);
        }
    }

    /** TorchServe's answer: 200 when healthy, else 500, with the models that are not ready. */
    private void ping(Context ctx) {
        Health now = health.get();
        ctx.status(now.healthy() ? 200 : 500).json(now.answer());
    }

    private void predict(Context ctx) {
        // The model first: an unknown one is a 404 whatever the body.
        registry.resolve(ctx.pathParam("model"), Answers.version(ctx));
        // Resolved again once the body is in: a replacement may have taken the version's place meanwhile.
        answers.streamed(
                ctx,
                (body, chunks) -> registry.submit(
                        ctx.pathParam("model"),
                        Answers.version(ctx),
                        version -> version.submit(toRequest(ctx, body), chunks)));
    }

    /** @return the SDK request a handler is given for this HTTP request and body */
    static Request toRequest(Context ctx, byte[] body) {
        Request.Builder builder = ctx.isMultipartFormData()
                ? FormInput.of(ctx.contentType(), body)
                : Request.builder(body).contentType(ctx.contentType());
        // Jetty's fields as they are: Context.headerMap() built a set of names and a map of first
        // values for every request (1 KB) and dropped a repeated header's later values.
        HttpFields fields =
                org.eclipse.jetty.server.Request.getBaseRequest(ctx.req()).getHttpFields();
        for (int i = 0; i < fields.size(); i++) {
            HttpField field = fields.getField(i);
            // A header sent once, as most are, without a list of its own values made for it.
            builder.header(
                    field.getName(),
                    repeated(fields, i) ? fields.getValuesList(field.getName()) : List.of(field.getValue()));
        }
        ctx.queryParamMap().forEach(builder::queryParameter);
        return builder.build();
    }

    /** @return whether another of the fields has the name of the {@code index}-th */
    private static boolean repeated(HttpFields fields, int index) {
        String name = fields.getField(index).getName();
        for (int i = 0; i < fields.size(); i++) {
            if (i != index && fields.getField(i).is(name)) {
                return true;
            }
        }
        return false;
    }
}
