package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedding API serves a model in-process as the server would: settings over the archive's,
 * workers READY before it returns, the server's errors; the reference numbers are checked with
 * the built-in handler in {@code examples/embedded}.
 */
class EmbeddedModelTest {

    private static final Path DIGITS = Path.of(System.getProperty("serval.models", "../../distribution/models"))
            .resolve("digits");

    /** Answers each request with its body's length; an empty body is bad input. */
    private static class Lengths implements Handler {
        @Override
        public List<Response> handle(List<Request> batch, Context context) throws HandlerException {
            List<Response> responses = new ArrayList<>();
            for (Request request : batch) {
                if (request.body().length == 0) {
                    throw HandlerException.badRequest("empty body");
                }
                responses.add(Response.json(request.body().length));
            }
            return responses;
        }
    }

    @Test
    void settingsOverrideTheArchivesAndErrorsAreTheServers() throws Exception {
        EmbeddedModel model = EmbeddedModel.builder(DIGITS)
                .handler(Lengths::new)
                .workers(2)
                .batchSize(4)
                .maxBatchDelay(Duration.ofMillis(5))
                .batchPolicy(BatchPolicy.FIXED)
                .responseTimeout(Duration.ofSeconds(30))
                .load();
        try (model) {
            assertEquals("digits", model.name());
            assertEquals(
                    new ServingSettings(
                            2,
                            2,
                            4,
                            5,
                            BatchPolicy.FIXED,
                            30_000,
                            100,
                            ServingSettings.DEFAULTS.maxImagePixels(),
                            120_000),
                    model.settings());
            assertEquals(DIGITS, model.modelDir());
            assertEquals(
                    3,
                    model.predict(Request.builder(new byte[3]).build()).json().orElseThrow());
            ServingException bad = assertThrows(
                    ServingException.class,
                    () -> model.predict(Request.builder(new byte[0]).build()));
            assertEquals(400, bad.status());
            assertEquals("BadRequestException", bad.type());
        }
        assertEquals(
                503,
                assertThrows(
                                ServingException.class,
                                () -> model.predict(Request.builder(new byte[1]).build()))
                        .status());
    }

    @Test
    void outOfRangeSettingsAreRefusedWhenGiven() {
        EmbeddedModel.Builder builder = EmbeddedModel.builder(DIGITS);
        assertThrows(IllegalArgumentException.class, () -> builder.workers(0));
        assertThrows(IllegalArgumentException.class, () -> builder.workers(ServingSettings.MAX_WORKERS + 1));
        assertThrows(IllegalArgumentException.class, () -> builder.batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> builder.maxBatchDelay(Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> builder.responseTimeout(Duration.ZERO));
    }

    @Test
    void aHandlerThatCannotInitializeFailsTheLoadWithItsError() {
        Handler broken = new Lengths() {
            @Override
            public void initialize(Context context) {
                throw new IllegalStateException("no labels for this model");
            }
        };
        String message = assertThrows(ModelLoadException.class, () -> EmbeddedModel.load(DIGITS, () -> broken))
                .getMessage();
        assertTrue(message.contains("failed to initialize") && message.contains("no labels for this model"), message);
    }

    @Test
    void theHandlerTheManifestNamesMustBeOnTheClassPath() {
        // This module's class path has no handler jar.
        String message = assertThrows(ModelLoadException.class, () -> EmbeddedModel.load(DIGITS))
                .getMessage();
        assertTrue(message.contains("No handler named 'image_classifier'"), message);
    }
}
