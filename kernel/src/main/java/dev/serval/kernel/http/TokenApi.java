package dev.serval.kernel.http;

import dev.serval.kernel.auth.Keys;
import dev.serval.serving.ServingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * TorchServe's token API on the management listener: {@code GET /token?type=inference} or
 * {@code type=management} with the {@code API} key renews that key and answers the new one.
 */
public final class TokenApi implements Consumer<Javalin> {

    /** Left open by the management key check: it takes the API key instead. */
    public static final Set<String> OPEN_PATHS = Set.of("/token");

    private final Keys keys;

    /** @param keys the server's keys */
    public TokenApi(Keys keys) {
        this.keys = keys;
    }

    @Override
    public void accept(Javalin app) {
        app.get("/token", this::renew);
    }

    private void renew(Context ctx) throws IOException {
        BearerAuth.require(ctx, keys, Keys.Kind.API);
        String type = ctx.queryParam("type");
        Keys.Kind kind = Keys.Kind.renewable(type)
                .orElseThrow(() -> new ServingException(
                        400, "BadRequestException", "Parameter type must be inference or management, not " + type));
        ctx.json(keys.renew(kind));
    }
}
