package dev.serval.kernel.osgi;

import dev.serval.kernel.api.HandlerTrial;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Rollout;
import dev.serval.serving.HandlerSource;
import dev.serval.serving.ModelLoadException;
import dev.serval.serving.ModelLoader;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a new build of a handler bundle on the models its current build serves: each is loaded
 * again from its source, bound to the new build's handler, and the new versions take the place of
 * the old ones together through {@link Rollout#replaceAll}, or none does.
 */
public final class HandlerTrials implements HandlerTrial {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTrials.class);
    /** How long the new build has to register a handler once started: the grace a request gets. */
    private static final long SERVICE_WAIT_MS = ModelVersion.HANDLER_GRACE_MS;

    private final HandlerTracker tracker;
    private final Catalog catalog;
    private final ModelLoader loader;
    private final Rollout rollout;

    /**
     * @param tracker the handler services, which holds the new build's apart during its trial
     * @param catalog what is served
     * @param loader loads the models again
     * @param rollout how the new versions take the old ones' place
     */
    public HandlerTrials(HandlerTracker tracker, Catalog catalog, ModelLoader loader, Rollout rollout) {
        this.tracker = tracker;
        this.catalog = catalog;
        this.loader = loader;
        this.rollout = rollout;
    }

    @Override
    public boolean serves(Bundle bundle) {
        return !users(bundle).isEmpty();
    }

    /** @return the served versions bound to the bundle's handlers */
    private List<Catalog.Entry> users(Bundle bundle) {
        Set<String> names = tracker.namesOf(bundle);
        return catalog.entries().stream()
                .filter(e -> names.contains(e.version().handlerName()))
                .toList();
    }

    @Override
    public boolean adopt(Bundle candidate, Bundle current) {
        List<Catalog.Entry> users = users(current);
        tracker.hold(candidate);
        Optional<String> problem;
        try {
            problem = trial(candidate, users);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = Optional.of("its trial was interrupted");
        } catch (ServingException e) {
            // The server is stopping and closed the new versions under the trial.
            problem = Optional.of(e.getMessage());
        }
        String bundle = "handler bundle " + candidate.getSymbolicName();
        if (problem.isEmpty()) {
            tracker.adopt(candidate);
            LOG.info(
                    "A new build of {} ({}) serves in the place of build {}",
                    bundle,
                    candidate.getVersion(),
                    current.getVersion());
            return true;
        }
        stop(candidate);
        tracker.release(candidate);
        String message = "A new build of " + bundle + " (" + candidate.getVersion() + ") was not adopted, build "
                + current.getVersion() + " serves on: " + problem.get();
        LOG.error(message);
        users.forEach(user -> catalog.refusedReplacement(user.version(), message));
        return false;
    }

    /** Stops a candidate not adopted, so that it registers no handler once it is no longer held. */
    private static void stop(Bundle candidate) {
        try {
            candidate.stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.debug("{} did not stop: {}", candidate, e.getMessage());
        }
    }

    /** @return why the candidate cannot serve the users, or empty when it now serves them */
    private Optional<String> trial(Bundle candidate, List<Catalog.Entry> users) throws InterruptedException {
        try {
            candidate.start();
        } catch (BundleException | IllegalStateException e) {
            return Optional.of("it did not start: " + e.getMessage());
        }
        List<Rollout.Swap> swaps = new ArrayList<>();
        for (Catalog.Entry user : users) {
            ModelVersion serving = user.version();
            Optional<HandlerSource> handler = awaitHandler(candidate, serving.handlerName());
            if (handler.isEmpty()) {
                swaps.forEach(swap -> swap.replacement().close());
                return Optional.of("it does not provide handler '" + serving.handlerName() + "', which model "
                        + serving.name() + " uses");
            }
            ModelVersion replacement;
            try {
                replacement =
                        loader.load(serving.archive().source(), user.source().options());
            } catch (ModelLoadException e) {
                swaps.forEach(swap -> swap.replacement().close());
                return Optional.of("model " + serving.name() + " could not be loaded again: " + e.getMessage());
            }
            // What an operator scaled the model to, and bound before it is prepared, so that the
            // catalog's binding by name leaves it to the candidate's handler.
            replacement.scale(
                    serving.settings().minWorkers(), serving.settings().maxWorkers());
            replacement.bind(handler.get());
            swaps.add(new Rollout.Swap(serving, replacement, user.source()));
        }
        return rollout.replaceAll(swaps)
                .map(refusal -> "model " + refusal.swap().current().name() + " version "
                        + refusal.swap().current().version() + ": " + refusal.reason());
    }

    private Optional<HandlerSource> awaitHandler(Bundle candidate, String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
        Optional<HandlerSource> handler = tracker.held(candidate, name);
        while (handler.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
            handler = tracker.held(candidate, name);
        }
        return handler;
    }
}
