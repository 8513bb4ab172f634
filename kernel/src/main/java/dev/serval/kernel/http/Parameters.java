package dev.serval.kernel.http;

import dev.serval.kernel.manage.ManagementCalls;
import dev.serval.serving.ServingException;
import io.javalin.http.Context;
import java.util.Optional;

/** A management call's query parameters, typed; a malformed one is a 400 naming it. */
final class Parameters implements ManagementCalls.Arguments {

    private final Context ctx;

    Parameters(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Optional<String> text(String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
    }

    @Override
    public Optional<Integer> integer(String name) {
        return text(name).map(value -> {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new ServingException(
                        400, "BadRequestException", "Invalid value for parameter " + name + ": " + value);
            }
        });
    }

    int integer(String name, int defaultValue) {
        return integer(name).orElse(defaultValue);
    }

    boolean bool(String name, boolean defaultValue) {
        return text(name).map(Boolean::parseBoolean).orElse(defaultValue);
    }
}
