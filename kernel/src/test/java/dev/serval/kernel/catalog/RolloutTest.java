package dev.serval.kernel.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.Deadlines;
import dev.serval.serving.HandlerSource;
import dev.serval.serving.ModelVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several replacements, as a new build of a handler bundle brings them, serve all together or not at all. */
class RolloutTest {

    private final Deadlines deadlines = new Deadlines();

    private static final HandlerSource WORKS = HandlerSource.of(Echo::new);
    private static final HandlerSource THROWS = HandlerSource.of(() -> new Echo() {
        @Override
        public void initialize(Context context) {
            throw new IllegalStateException("this build cannot initialize");
        }
    });

    private final Catalog catalog = new Catalog();
    private final Rollout rollout = new Rollout(catalog);
    private final Source firstFile = Source.deployFolder(Path.of("deploy/first.mar"));
    private final Source secondFile = Source.deployFolder(Path.of("deploy/second.mar"));
    private final ModelVersion first = served("first", firstFile);
    private final ModelVersion second = served("second", secondFile);

    @AfterEach
    void close() {
        catalog.closeAll();
        deadlines.close();
    }

    @Test
    void oneReplacementThatFailsKeepsEveryOldVersionServing() throws Exception {
        ModelVersion good = bound("first", WORKS);
        ModelVersion broken = bound("second", THROWS);

        Optional<Rollout.Refusal> refusal = rollout.replaceAll(
                List.of(new Rollout.Swap(first, good, firstFile), new Rollout.Swap(second, broken, secondFile)));

        assertTrue(refusal.isPresent(), "refused");
        assertEquals(second, refusal.get().swap().current());
        assertTrue(
                refusal.get().reason().contains("this build cannot initialize"),
                refusal.get().reason());
        assertEquals(List.of(first), catalog.versions("first"), "the good replacement was not published either");
        assertEquals(List.of(second), catalog.versions("second"));
        assertTrue(first.awaitWorkers(5_000), "the old version serves on");
        assertEquals(ModelVersion.Status.STOPPED, good.status(), "the replacements are closed");
        assertEquals(ModelVersion.Status.STOPPED, broken.status());
    }

    @Test
    void replacementsThatServeAllTakeTheirPlaces() throws Exception {
        ModelVersion newFirst = bound("first", WORKS);
        ModelVersion newSecond = bound("second", WORKS);

        assertEquals(
                Optional.empty(),
                rollout.replaceAll(List.of(
                        new Rollout.Swap(first, newFirst, firstFile),
                        new Rollout.Swap(second, newSecond, secondFile))));

        assertEquals(List.of(newFirst), catalog.versions("first"));
        assertEquals(List.of(newSecond), catalog.versions("second"));
        assertEquals(ModelVersion.Status.STOPPED, first.status(), "the old versions are closed");
        assertEquals(ModelVersion.Status.STOPPED, second.status());
    }

    private ModelVersion served(String name, Source source) {
        ModelVersion version = CatalogTest.version(name, "1.0", "deploy/" + name + ".mar", deadlines);
        catalog.add(version, source);
        version.bind(WORKS);
        return version;
    }

    /** A new version, bound before it is prepared, as a handler bundle's trial binds it. */
    private ModelVersion bound(String name, HandlerSource handlers) {
        ModelVersion version = CatalogTest.version(name, "1.0", "deploy/" + name + ".mar", deadlines);
        version.bind(handlers);
        return version;
    }

    /** Answers each request with its own body. */
    private static class Echo implements Handler {
        @Override
        public List<Response> handle(List<Request> batch, Context context) {
            return batch.stream()
                    .map(request -> Response.bytes(request.body(), "application/octet-stream"))
                    .toList();
        }
    }
}
