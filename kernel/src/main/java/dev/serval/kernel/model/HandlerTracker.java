package dev.serval.kernel.model;

import dev.serval.sdk.Handler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@link Handler} services in the framework (the whiteboard pattern) and binds each
 * model version to the handler its manifest names, whenever that handler appears.
 */
public final class HandlerTracker implements ServiceTrackerCustomizer<Handler, String>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTracker.class);

    private final BundleContext context;
    private final ModelRegistry registry;
    private final Map<String, ServiceReference<Handler>> byName = new ConcurrentHashMap<>();
    private final ServiceTracker<Handler, String> tracker;

    /**
     * @param context the system bundle's context
     * @param registry the models to bind; new registrations are bound as they come
     */
    public HandlerTracker(BundleContext context, ModelRegistry registry) {
        this.context = context;
        this.registry = registry;
        this.tracker = new ServiceTracker<>(context, Handler.class, this);
        registry.onRegister(this::bindIfAvailable);
    }

    /** Starts tracking. */
    public void open() {
        tracker.open();
    }

    @Override
    public synchronized String addingService(ServiceReference<Handler> reference) {
        Object name = reference.getProperty(Handler.NAME);
        if (!(name instanceof String handlerName) || handlerName.isBlank()) {
            LOG.warn("Ignoring a Handler service of bundle {} without a '{}' property",
                    reference.getBundle().getSymbolicName(), Handler.NAME);
            return null;
        }
        ServiceReference<Handler> previous = byName.put(handlerName, reference);
        if (previous != null) {
            LOG.warn("Handler '{}' of bundle {} replaces the one of bundle {}", handlerName,
                    reference.getBundle().getSymbolicName(), previous.getBundle().getSymbolicName());
            registry.all().forEach(v -> v.unbind(previous));
        }
        LOG.info("Handler '{}' available from bundle {} {}", handlerName,
                reference.getBundle().getSymbolicName(), reference.getBundle().getVersion());
        registry.all().stream().filter(v -> v.handlerName().equals(handlerName)).forEach(this::bindIfAvailable);
        return handlerName;
    }

    @Override
    public void modifiedService(ServiceReference<Handler> reference, String name) {
        // The name is read once; a changed property takes effect when the service re-registers.
    }

    @Override
    public synchronized void removedService(ServiceReference<Handler> reference, String name) {
        byName.remove(name, reference);
        LOG.info("Handler '{}' of bundle {} went away", name, reference.getBundle().getSymbolicName());
        registry.all().forEach(v -> v.unbind(reference));
    }

    private synchronized void bindIfAvailable(ModelVersion version) {
        ServiceReference<Handler> reference = byName.get(version.handlerName());
        if (reference == null) {
            LOG.warn("Model {} version {} names handler '{}', which no deployed bundle provides yet; "
                    + "its requests get 503 until one is deployed", version.name(), version.version(),
                    version.handlerName());
            return;
        }
        var objects = context.getServiceObjects(reference);
        if (objects != null) {
            version.bind(reference, objects);
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
