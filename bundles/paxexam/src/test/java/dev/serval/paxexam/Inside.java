package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import dev.serval.sdk.Handler;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/** What the tests check inside the framework, from the probe bundle Pax Exam runs them in. */
final class Inside {

    /** How long a service or a component's activation is waited for. */
    private static final long WAIT_MS = 10_000;

    private Inside() {}

    /** @return the installed bundle of that symbolic name, after checking that it started */
    static Bundle started(BundleContext context, String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                assertEquals(symbolicName + " resolved and started", Bundle.ACTIVE, bundle.getState());
                return bundle;
            }
        }
        throw new AssertionError("bundle not installed: " + symbolicName);
    }

    /** Asserts that the bundle's import of the package is wired to the system bundle: the kernel's class path. */
    static void assertFromKernel(Bundle bundle, String pkg) {
        Bundle provider = provider(bundle, pkg);
        assertEquals(
                bundle.getSymbolicName() + " takes " + pkg + " from the kernel, not " + provider.getSymbolicName(),
                0,
                provider.getBundleId());
    }

    /** Asserts that the bundle's import of the package is wired to the bundle named {@code provider}. */
    static void assertFrom(Bundle bundle, String pkg, String provider) {
        assertEquals(
                bundle.getSymbolicName() + " takes " + pkg + " from",
                provider,
                provider(bundle, pkg).getSymbolicName());
    }

    /** @return the bundle that the bundle's import of the package is wired to */
    private static Bundle provider(Bundle bundle, String pkg) {
        return bundle.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                .filter(wire -> pkg.equals(wire.getCapability().getAttributes().get("osgi.wiring.package")))
                .map(BundleWire::getProvider)
                .map(revision -> revision.getBundle())
                .findFirst()
                .orElseThrow(() -> new AssertionError(bundle.getSymbolicName() + " imports no " + pkg));
    }

    /**
     * Waits until every component the bundle declares is satisfied (a prototype or delayed
     * service component) or active, and checks their number.
     */
    static void componentsUp(BundleContext context, Bundle bundle, int expected) throws InterruptedException {
        ServiceComponentRuntime scr = service(context, ServiceComponentRuntime.class, null);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            Set<String> up = new TreeSet<>();
            Set<String> down = new TreeSet<>();
            Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(bundle);
            for (ComponentDescriptionDTO description : descriptions) {
                Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(description);
                boolean satisfied = !configurations.isEmpty()
                        && configurations.stream()
                                .allMatch(c -> c.state == ComponentConfigurationDTO.SATISFIED
                                        || c.state == ComponentConfigurationDTO.ACTIVE);
                (satisfied ? up : down).add(description.name);
            }
            if (down.isEmpty() && up.size() == expected) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(bundle.getSymbolicName() + ": components up " + up + ", not up " + down + ", "
                        + expected + " expected");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Asserts that the bundle's components, each a handler, came up and registered their
     * {@link Handler} services under these names, and no other.
     */
    static void assertHandlers(BundleContext context, Bundle bundle, String... names) throws InterruptedException {
        componentsUp(context, bundle, names.length);
        Set<String> registered = new TreeSet<>();
        ServiceReference<?>[] services = bundle.getRegisteredServices();
        for (ServiceReference<?> reference : services == null ? new ServiceReference<?>[0] : services) {
            if (List.of((String[]) reference.getProperty("objectClass")).contains(Handler.class.getName())) {
                registered.add((String) reference.getProperty(Handler.NAME));
            }
        }
        assertEquals(new TreeSet<>(List.of(names)), registered);
    }

    /** @return the service, waited for */
    static <S> S service(BundleContext context, Class<S> type, String filter) throws InterruptedException {
        return context.getService(reference(context, type, filter));
    }

    /** @return the reference of the service, waited for; {@code filter} may be {@code null} */
    static <S> ServiceReference<S> reference(BundleContext context, Class<S> type, String filter)
            throws InterruptedException {
        ServiceTracker<S, S> tracker;
        try {
            tracker = new ServiceTracker<>(
                    context,
                    filter == null
                            ? context.createFilter("(objectClass=" + type.getName() + ")")
                            : context.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"),
                    null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        tracker.open();
        try {
            assertNotNull(type.getSimpleName() + " " + filter + " registered", tracker.waitForService(WAIT_MS));
            return tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }
}
