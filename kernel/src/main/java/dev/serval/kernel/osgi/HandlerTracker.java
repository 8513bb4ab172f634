package dev.serval.kernel.osgi;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.sdk.Handler;
import dev.serval.serving.HandlerSource;
import dev.serval.serving.ModelVersion;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@link Handler} services in the framework (the whiteboard pattern) and binds each
 * model version to the handler its manifest names, whenever that handler appears.
 *
 * <p>The services of a bundle {@linkplain #hold held} for a trial are kept apart: no version is
 * bound to them by name until the bundle is {@linkplain #adopt adopted}; the trial binds its own
 * versions to them.
 */
public final class HandlerTracker implements ServiceTrackerCustomizer<Handler, ServiceHandlerSource>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTracker.class);

    private final BundleContext context;
    private final Catalog catalog;
    private final Map<String, ServiceHandlerSource> byName = new ConcurrentHashMap<>();
    /** The services of each bundle held for a trial, by bundle id, then handler name. */
    private final Map<Long, Map<String, ServiceHandlerSource>> held = new ConcurrentHashMap<>();

    private final ServiceTracker<Handler, ServiceHandlerSource> tracker;

    /**
     * @param context the system bundle's context
     * @param catalog the models to bind; each version is bound as it is prepared
     */
    public HandlerTracker(BundleContext context, Catalog catalog) {
        this.context = context;
        this.catalog = catalog;
        this.tracker = new ServiceTracker<>(context, Handler.class, this);
        catalog.onPrepare(this::bindIfAvailable);
    }

    /** Starts tracking. */
    public void open() {
        tracker.open();
    }

    @Override
    public synchronized ServiceHandlerSource addingService(ServiceReference<Handler> reference) {
        Object name = reference.getProperty(Handler.NAME);
        if (!(name instanceof String handlerName) || handlerName.isBlank()) {
            LOG.warn(
                    "Ignoring a Handler service of bundle {} without a '{}' property",
                    reference.getBundle().getSymbolicName(),
                    Handler.NAME);
            return null;
        }
        ServiceObjects<Handler> objects = context.getServiceObjects(reference);
        if (objects == null) {
            return null;
        }
        ServiceHandlerSource source = new ServiceHandlerSource(handlerName, reference, objects);
        Map<String, ServiceHandlerSource> trial = held.get(reference.getBundle().getBundleId());
        if (trial != null) {
            trial.put(handlerName, source);
            LOG.info(
                    "Handler '{}' of bundle {} {} is on trial",
                    handlerName,
                    source.bundleName(),
                    reference.getBundle().getVersion());
            return source;
        }
        ServiceHandlerSource previous = byName.put(handlerName, source);
        if (previous != null) {
            LOG.warn(
                    "Handler '{}' of bundle {} replaces the one of bundle {}",
                    handlerName,
                    source.bundleName(),
                    previous.bundleName());
            catalog.bound().forEach(v -> v.unbind(previous));
        }
        available(handlerName, source);
        return source;
    }

    @Override
    public void modifiedService(ServiceReference<Handler> reference, ServiceHandlerSource source) {
        // The name is read once; a changed property takes effect when the service re-registers.
    }

    @Override
    public synchronized void removedService(ServiceReference<Handler> reference, ServiceHandlerSource source) {
        Map<String, ServiceHandlerSource> trial = held.get(source.bundleId());
        if (trial != null) {
            trial.remove(source.handlerName(), source);
        }
        boolean named = byName.remove(source.handlerName(), source);
        LOG.info(
                "Handler '{}' of bundle {} went away{}",
                source.handlerName(),
                source.bundleName(),
                named ? "" : " (another build of it serves the name)");
        catalog.bound().forEach(v -> v.unbind(source));
        // A build adopted in its place serves the versions it did not replace itself.
        if (byName.containsKey(source.handlerName())) {
            bindAll(source.handlerName());
        }
    }

    /**
     * @param bundle a bundle
     * @return the handler names that versions are bound to the bundle's services by
     */
    public synchronized Set<String> namesOf(Bundle bundle) {
        return byName.values().stream()
                .filter(source -> source.bundleId() == bundle.getBundleId())
                .map(ServiceHandlerSource::handlerName)
                .collect(Collectors.toSet());
    }

    /**
     * Keeps the services the bundle registers from now on apart for a trial, until it is
     * {@linkplain #adopt adopted} or {@linkplain #release released}.
     *
     * @param bundle a bundle not started yet
     */
    public void hold(Bundle bundle) {
        held.put(bundle.getBundleId(), new ConcurrentHashMap<>());
    }

    /**
     * @param bundle a bundle {@linkplain #hold held}
     * @param handlerName a handler name
     * @return its service of that name, once it is registered
     */
    public Optional<HandlerSource> held(Bundle bundle, String handlerName) {
        return Optional.ofNullable(
                held.getOrDefault(bundle.getBundleId(), Map.of()).get(handlerName));
    }

    /**
     * The held bundle's services become the ones versions are bound to by name, in the place of
     * any other of the same name; the versions bound to those keep them until they go.
     *
     * @param bundle a bundle {@linkplain #hold held}
     */
    public synchronized void adopt(Bundle bundle) {
        Map<String, ServiceHandlerSource> trial = held.remove(bundle.getBundleId());
        if (trial == null) {
            return;
        }
        trial.forEach((name, source) -> {
            byName.put(name, source);
            available(name, source);
        });
    }

    /**
     * Stops holding a bundle that was not adopted, before it is uninstalled.
     *
     * @param bundle a bundle {@linkplain #hold held}
     */
    public void release(Bundle bundle) {
        held.remove(bundle.getBundleId());
    }

    /** The service is the one versions are bound to by {@code name} now: those waiting for it get it. */
    private void available(String name, ServiceHandlerSource source) {
        LOG.info("Handler '{}' available from bundle {} {}", name, source.bundleName(), source.bundleVersion());
        bindAll(name);
    }

    private void bindAll(String handlerName) {
        catalog.bound().stream()
                .filter(v -> v.handlerName().equals(handlerName))
                .forEach(this::bindIfAvailable);
    }

    private synchronized void bindIfAvailable(ModelVersion version) {
        ServiceHandlerSource source = byName.get(version.handlerName());
        if (source == null) {
            LOG.warn(
                    "Model {} version {} names handler '{}', which no deployed bundle provides yet; "
                            + "its requests get 503 until one is deployed",
                    version.name(),
                    version.version(),
                    version.handlerName());
            return;
        }
        version.bind(source);
    }

    @Override
    public void close() {
        tracker.close();
    }
}
