package dev.serval.serving;

import dev.serval.sdk.Request;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The warm-up inputs a model's {@code model-config.yaml} names, sent to a version before it takes
 * traffic: the first calls of an engine compile and allocate, and a handler that cannot answer
 * its own sample should never replace one that can.
 *
 * <pre>{@code
 * warmup:
 *   - samples/five.png
 * }</pre>
 *
 * <p>Each entry is a file of the archive, sent as a request's body with the content type its name
 * suggests; each must be answered without an error within the version's response timeout.
 */
public final class WarmUp {

    /** The {@code model-config.yaml} key listing the inputs. */
    public static final String KEY = "warmup";

    private WarmUp() {}

    /**
     * @param version a version whose workers are READY
     * @return why it failed its warm-up, or empty when it answered every input (or names none)
     * @throws InterruptedException when interrupted while waiting for an answer
     */
    public static Optional<String> run(ModelVersion version) throws InterruptedException {
        Object inputs = version.archive().config().asMap().get(KEY);
        if (inputs == null) {
            return Optional.empty();
        }
        if (!(inputs instanceof List<?> files)) {
            return Optional.of("model-config.yaml: " + KEY + " must be a list of files of the archive");
        }
        for (Object file : files) {
            Optional<String> problem = answer(version, String.valueOf(file));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> answer(ModelVersion version, String file) throws InterruptedException {
        Path dir = version.archive().dir();
        Path input = dir.resolve(file).normalize();
        if (!input.startsWith(dir) || !Files.isRegularFile(input)) {
            return Optional.of("warm-up input " + file + " is not a file of the archive");
        }
        Request.Builder request;
        try {
            request = Request.builder(Files.readAllBytes(input));
        } catch (IOException e) {
            return Optional.of("warm-up input " + file + " cannot be read: " + e.getMessage());
        }
        Optional.ofNullable(URLConnection.guessContentTypeFromName(file)).ifPresent(request::contentType);
        try {
            version.submit(request.build()).get(version.settings().responseTimeoutMs(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(
                    "warm-up input " + file + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Optional.of("warm-up input " + file + " was not answered in time");
        }
    }
}
