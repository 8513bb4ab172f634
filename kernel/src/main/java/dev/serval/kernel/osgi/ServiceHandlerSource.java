package dev.serval.kernel.osgi;

import dev.serval.sdk.Handler;
import dev.serval.serving.HandlerSource;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

/**
 * A handler bundle's prototype-scoped service as a {@link HandlerSource}: each worker gets its own
 * instance, released when it stops.
 */
final class ServiceHandlerSource implements HandlerSource {

    private final String handlerName;
    private final ServiceReference<Handler> reference;
    private final ServiceObjects<Handler> objects;
    private final long bundleId;

    /**
     * @param handlerName the service's {@link Handler#NAME}
     * @param reference the service
     * @param objects its instances, from the system bundle's context
     */
    ServiceHandlerSource(String handlerName, ServiceReference<Handler> reference, ServiceObjects<Handler> objects) {
        this.handlerName = handlerName;
        this.reference = reference;
        this.objects = objects;
        this.bundleId = reference.getBundle().getBundleId();
    }

    /** @return the name models ask for it by */
    String handlerName() {
        return handlerName;
    }

    /** @return the symbolic name of the bundle registering it, for logs */
    String bundleName() {
        return reference.getBundle().getSymbolicName();
    }

    /** @return the version of the bundle registering it, for logs */
    Version bundleVersion() {
        return reference.getBundle().getVersion();
    }

    /** @return the id of the bundle registering it */
    long bundleId() {
        return bundleId;
    }

    @Override
    public Handler get() {
        Handler handler = objects.getService();
        if (handler == null) {
            throw new IllegalStateException("the handler service of bundle " + bundleName() + " is gone");
        }
        return handler;
    }

    @Override
    public void release(Handler handler) {
        objects.ungetService(handler);
    }
}
