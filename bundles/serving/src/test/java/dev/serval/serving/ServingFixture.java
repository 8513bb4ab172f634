package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The model versions one test serves, registered as an extension: after the test, its gate is
 * opened (so that no worker stays blocked in its handler), its versions are closed and their
 * folders removed.
 */
final class ServingFixture implements AfterEachCallback {

    /** Where the test's handlers stop until it opens it. */
    final TestHandlers.Gate gate = new TestHandlers.Gate();

    private final List<ModelVersion> versions = new ArrayList<>();
    private final Deadlines deadlines = new Deadlines();
    private Path root;
    private FakeModels.FakeModel last;

    /** @return a version of a new fake model, with the server's grace for a handler to come back */
    ModelVersion version(ServingSettings settings) {
        return version(settings, ModelVersion.HANDLER_GRACE_MS);
    }

    /** @return a version of a new fake model, whose jobs wait {@code graceMs} for a handler */
    ModelVersion version(ServingSettings settings, long graceMs) {
        last = FakeModels.model(root());
        ModelVersion version = new ModelVersion(last.loaded(), settings, deadlines, graceMs);
        versions.add(version);
        return version;
    }

    /** @return a version of a new fake model bound to {@code source}, its workers READY */
    ModelVersion serving(ServingSettings settings, HandlerSource source) throws InterruptedException {
        ModelVersion version = version(settings);
        version.bind(source);
        assertTrue(version.awaitWorkers(FakeModels.WAIT_MS), "workers READY");
        return version;
    }

    /** @return the fake model of the last version made */
    FakeModels.FakeModel model() {
        return last;
    }

    private Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("serving-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        gate.open();
        versions.forEach(ModelVersion::close);
        deadlines.close();
        if (root != null) {
            Folders.deleteTree(root);
        }
    }
}
