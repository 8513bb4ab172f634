package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * Updating a handler bundle in place (what FileInstall does when its jar is replaced) leaves a
 * moment with no handler service; requests arriving then wait for the new one instead of failing.
 * A bundle that stops for good leaves no request hanging: each is answered or gets a 503.
 */
class HandlerUpdateIT {

    @TempDir
    static Path work;

    private static InFramework osgi;

    @BeforeAll
    static void start() throws Exception {
        osgi = InFramework.start(work);
        osgi.deployments.deploy(InFramework.MODELS.resolve("digits").toAbsolutePath());
    }

    @AfterAll
    static void stop() throws Exception {
        osgi.close();
    }

    @Test
    void requestsDuringAHandlerUpdateAllSucceed() throws Exception {
        byte[] digit = Files.readAllBytes(InFramework.MODELS.resolve("digits/images/digit_00_label5.png"));
        String expected = answer(osgi.predict("digits", digit));
        AtomicBoolean updating = new AtomicBoolean(true);
        List<String> answers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        Thread client = new Thread(() -> {
            while (updating.get()) {
                try {
                    answers.add(answer(osgi.predict("digits", digit)));
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        });
        client.start();

        Bundle handlers = osgi.bundle("dev.serval.handlers.image");
        for (int i = 0; i < 3; i++) {
            Thread.sleep(200);
            handlers.update();
        }
        Thread.sleep(500);
        updating.set(false);
        client.join();

        assertEquals(List.of(), failures);
        assertTrue(answers.size() > 10, "requests were sent throughout: " + answers.size());
        assertTrue(answers.stream().allMatch(expected::equals), "every answer is the model's");
    }

    @Test
    void requestsInFlightWhenTheHandlerBundleStopsFinishOrGetA503() throws Exception {
        byte[] digit = Files.readAllBytes(InFramework.MODELS.resolve("digits/images/digit_00_label5.png"));
        Bundle handlers = osgi.bundle("dev.serval.handlers.image");
        ModelVersion digits = osgi.catalog.resolve("digits", Optional.empty());
        List<CompletableFuture<Response>> inFlight = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inFlight.add(digits.submit(Request.builder(digit).build()));
        }
        handlers.stop();
        try {
            for (int i = 0; i < 5; i++) {
                inFlight.add(digits.submit(Request.builder(digit).build()));
            }
            for (CompletableFuture<Response> request : inFlight) {
                try {
                    request.get(ModelVersion.HANDLER_GRACE_MS + 5_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    ServingException failure = (ServingException) e.getCause();
                    assertEquals(503, failure.status(), failure.getMessage());
                    assertTrue(failure.getMessage().contains("image_classifier"), failure.getMessage());
                }
            }
        } finally {
            handlers.start();
        }
        assertTrue(digits.awaitWorkers(10_000), "the model serves again once the bundle is back");
    }

    private static String answer(Response response) {
        return response.json().orElseThrow().toString();
    }
}
