package dev.serval.handlers.image;

import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import java.util.Optional;
import java.util.function.DoublePredicate;

/** Per-request overrides of model-config keys, read from the query string; bad values are a 400. */
final class Parameters {

    private Parameters() {}

    /**
     * @param request the request
     * @param name the query parameter, as in {@code ?topk=3}
     * @param fallback the value when the request has none
     * @return the parameter as a positive integer
     * @throws HandlerException 400 when it is not one
     */
    static int positiveInt(Request request, String name, int fallback) throws HandlerException {
        return (int) number(
                request,
                name,
                fallback,
                v -> v > 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE,
                "a positive integer");
    }

    /**
     * @param request the request
     * @param name the query parameter, as in {@code ?threshold=0.8}
     * @param fallback the value when the request has none
     * @return the parameter as a number from 0 to 1
     * @throws HandlerException 400 when it is not one
     */
    static double fraction(Request request, String name, double fallback) throws HandlerException {
        return number(request, name, fallback, v -> v >= 0 && v <= 1, "a number from 0 to 1");
    }

    private static double number(Request request, String name, double fallback, DoublePredicate valid, String expected)
            throws HandlerException {
        Optional<String> value = request.queryParameter(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.get().trim());
            if (valid.test(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HandlerException.badRequest(
                "Query parameter " + name + " must be " + expected + ", not '" + value.get() + "'");
    }
}
