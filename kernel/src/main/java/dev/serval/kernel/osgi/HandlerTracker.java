package dev.serval.kernel.osgi;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.serving.ModelVersion;
import dev.serval.sdk.Handler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class HandlerTracker implements ServiceTrackerCustomizer<Handler, ServiceHandlerSource>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerTracker.class);

    private final BundleContext context;
    private final Catalog catalog;
    private final Map<String, ServiceHandlerSource> byName = new ConcurrentHashMap<>();
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
            LOG.warn("Ignoring a Handler service of bundle {} without a '{}' property",
                    reference.getBundle().getSymbolicName(), Handler.NAME);
            return null;
        }
        ServiceObjects<Handler> objects = context.getServiceObjects(reference);
        if (objects == null) {
            return null;
        }
        ServiceHandlerSource source = new ServiceHandlerSource(handlerName, reference, objects);
        ServiceHandlerSource previous = byName.put(handlerName, source);
        if (previous != null) {
            LOG.warn("Handler '{}' of bundle {} replaces the one of bundle {}", handlerName,
                    source.bundleName(), previous.bundleName());
            catalog.bound().forEach(v -> v.unbind(previous));
        }
        LOG.info("Handler '{}' available from bundle {} {}", handlerName, source.bundleName(),
                reference.getBundle().getVersion());
        catalog.bound().stream().filter(v -> v.handlerName().equals(handlerName)).forEach(this::bindIfAvailable);
        return source;
    }

    @Override
    public void modifiedService(ServiceReference<Handler> reference, ServiceHandlerSource source) {
        // The name is read once; a changed property takes effect when the service re-registers.
    }

    @Override
    public synchronized void removedService(ServiceReference<Handler> reference, ServiceHandlerSource source) {
        byName.remove(source.handlerName(), source);
        LOG.info("Handler '{}' of bundle {} went away", source.handlerName(), source.bundleName());
        catalog.bound().forEach(v -> v.unbind(source));
    }

    private synchronized void bindIfAvailable(ModelVersion version) {
        ServiceHandlerSource source = byName.get(version.handlerName());
        if (source == null) {
            LOG.warn("Model {} version {} names handler '{}', which no deployed bundle provides yet; "
                    + "its requests get 503 until one is deployed", version.name(), version.version(),
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
