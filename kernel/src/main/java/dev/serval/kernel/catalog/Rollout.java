package dev.serval.kernel.catalog;

import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.WarmUp;
import java.util.ArrayList;
import java.util.List;
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

    private final Catalog catalog;

    /**
     * @param catalog what is served; a replacement's workers have its own {@code startupTimeout}
     *     to become READY
     */
    public Rollout(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * A version served and what is to take its place.
     *
     * @param current what {@code source} serves now
     * @param replacement its new content, loaded
     * @param source the source of both
     */
    public record Swap(ModelVersion current, ModelVersion replacement, Source source) {}

    /**
     * Why swaps were not made.
     *
     * @param swap the one whose replacement could not serve
     * @param reason why
     */
    public record Refusal(Swap swap, String reason) {}

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
        Optional<Refusal> refusal = replaceAll(List.of(new Swap(current, replacement, source)));
        refusal.ifPresent(r -> refuse(
                current,
                "Replacement from " + source + " (model " + replacement.name()
                        + " version " + replacement.version() + ") was not served, version " + current.version()
                        + " serves on: " + r.reason()));
        return refusal.isEmpty();
    }

    /**
     * Makes all the swaps or none: every replacement is prepared, and once all are READY and
     * have answered their warm-up inputs, each is published in the place of its current version,
     * which is closed. Replacements that do not serve are closed.
     *
     * @param swaps versions of distinct sources and their replacements
     * @return why none was made, and the current versions serve on; empty when all were made.
     *     Nothing is logged or recorded: the caller says why in its own terms
     * @throws InterruptedException when interrupted while waiting for the workers; the current
     *     versions serve on
     */
    public Optional<Refusal> replaceAll(List<Swap> swaps) throws InterruptedException {
        List<Catalog.Preparation> preparations = new ArrayList<>();
        for (Swap swap : swaps) {
            try {
                preparations.add(catalog.prepare(swap.replacement(), swap.source(), Optional.of(swap.current())));
            } catch (ServingException | IllegalArgumentException e) {
                drop(preparations, swaps);
                return Optional.of(new Refusal(swap, e.getMessage()));
            }
        }
        try {
            for (Swap swap : swaps) {
                Optional<String> problem = readiness(swap.replacement());
                if (problem.isPresent()) {
                    drop(preparations, swaps);
                    return Optional.of(new Refusal(swap, problem.get()));
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            drop(preparations, swaps);
            throw e;
        }
        preparations.forEach(catalog::publish);
        for (Swap swap : swaps) {
            LOG.info(
                    "Model {} version {} from {} now serves in the place of version {}",
                    swap.replacement().name(),
                    swap.replacement().version(),
                    swap.source(),
                    swap.current().version());
            swap.current().close();
        }
        return Optional.empty();
    }

    private void drop(List<Catalog.Preparation> preparations, List<Swap> swaps) {
        preparations.forEach(catalog::cancel);
        swaps.forEach(swap -> swap.replacement().close());
    }

    /** @return why the replacement cannot take traffic, or empty when it can */
    private Optional<String> readiness(ModelVersion replacement) throws InterruptedException {
        Optional<String> notStarted = replacement.awaitStartup();
        return notStarted.isPresent() ? notStarted : WarmUp.run(replacement);
    }

    private void refuse(ModelVersion current, String message) {
        LOG.error("Model {}: {}", current.name(), message);
        catalog.refusedReplacement(current, message);
    }
}
