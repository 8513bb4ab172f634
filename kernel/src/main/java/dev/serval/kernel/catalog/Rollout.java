package dev.serval.kernel.catalog;

import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.WarmUp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts new content of a source in the place of what it serves without a failed request: the
 * replacement is prepared beside the serving version, takes traffic only once its workers are
 * READY and have answered its warm-up inputs, and is otherwise dropped while the serving version
 * serves on, with the reason recorded for describe and the metrics.
 */
public final class Rollout {

    private static final Logger LOG = LoggerFactory.getLogger(Rollout.class);

    /** How long a replacement's handler has to appear: the same grace a request gets. */
    private static final long HANDLER_WAIT_MS = ModelVersion.HANDLER_GRACE_MS;

    private final Catalog catalog;
    private final long startupTimeoutMs;

    /**
     * @param catalog what is served
     * @param startupTimeoutMs how long a replacement's workers have to become READY (TorchServe's
     *     {@code startup_timeout})
     */
    public Rollout(Catalog catalog, long startupTimeoutMs) {
        this.catalog = catalog;
        this.startupTimeoutMs = startupTimeoutMs;
    }

    /**
     * @param current what {@code source} serves now
     * @param replacement its new content, loaded; closed here when it is not served
     * @param source the source of both
     * @return whether the replacement now serves (and {@code current} is closed); when not, the
     *     reason has been logged and recorded, and {@code current} serves on
     * @throws InterruptedException when interrupted while waiting for the replacement's workers;
     *     {@code current} serves on
     */
    public boolean replace(ModelVersion current, ModelVersion replacement, Source source) throws InterruptedException {
        Catalog.Preparation preparation;
        try {
            preparation = catalog.prepare(replacement, source, Optional.of(current));
        } catch (ServingException e) {
            refuse(current, replacement, source, e.getMessage());
            return false;
        }
        Optional<String> problem;
        try {
            problem = readiness(replacement);
        } catch (InterruptedException | RuntimeException e) {
            catalog.cancel(preparation);
            replacement.close();
            throw e;
        }
        if (problem.isPresent()) {
            catalog.cancel(preparation);
            refuse(current, replacement, source, problem.get());
            return false;
        }
        catalog.publish(preparation);
        LOG.info("Model {} version {} from {} now serves in the place of version {}", replacement.name(),
                replacement.version(), source, current.version());
        current.close();
        return true;
    }

    /** @return why the replacement cannot take traffic, or empty when it can */
    private Optional<String> readiness(ModelVersion replacement) throws InterruptedException {
        long handlerDeadline = System.currentTimeMillis() + HANDLER_WAIT_MS;
        while (replacement.status() == ModelVersion.Status.WAITING_FOR_HANDLER) {
            if (System.currentTimeMillis() >= handlerDeadline) {
                return Optional.of("it needs handler '" + replacement.handlerName()
                        + "', which no deployed bundle provides");
            }
            Thread.sleep(10);
        }
        if (!replacement.awaitWorkers(startupTimeoutMs)) {
            return Optional.of(replacement.failure().orElse("its workers were not READY within "
                    + startupTimeoutMs / 1000 + " s"));
        }
        return WarmUp.run(replacement);
    }

    private void refuse(ModelVersion current, ModelVersion replacement, Source source, String reason) {
        String message = "Replacement from " + source + " (model " + replacement.name() + " version "
                + replacement.version() + ") was not served, version " + current.version() + " serves on: " + reason;
        LOG.error("Model {}: {}", current.name(), message);
        catalog.refusedReplacement(current, message);
        replacement.close();
    }
}
