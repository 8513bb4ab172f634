package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.serval.sdk.Handler;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The image handler bundle, as built, resolves against the kernel's exports and registers its
 * handler as the kernel looks it up.
 */
class HandlerBundleIT {

    @TempDir
    static Path work;

    private static InFramework osgi;

    @BeforeAll
    static void start() throws Exception {
        osgi = InFramework.start(work);
    }

    @AfterAll
    static void stop() throws Exception {
        osgi.close();
    }

    @Test
    void imageClassifierIsAHandlerServiceOfTheKernelsSdk() throws Exception {
        ServiceTracker<Handler, Handler> tracker = new ServiceTracker<>(
                osgi.context(),
                osgi.context()
                        .createFilter("(&(objectClass=" + Handler.class.getName() + ")(" + Handler.NAME
                                + "=image_classifier))"),
                null);
        tracker.open();
        try {
            // Tracked by the system bundle's context with the kernel's Handler class: a bundle
            // carrying its own copy of the SDK would not be seen here.
            assertNotNull(tracker.waitForService(10_000), "image_classifier registered");
            ServiceReference<Handler> reference = tracker.getServiceReference();
            assertEquals("dev.serval.handlers.image", reference.getBundle().getSymbolicName());
        } finally {
            tracker.close();
        }
    }

    @Test
    void sdkAndDjlComeFromTheSystemBundle() {
        Bundle handlers = osgi.bundle("dev.serval.handlers.image");
        for (String pkg : new String[] {"dev.serval.sdk", "ai.djl.ndarray"}) {
            BundleWire wire = handlers.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
                    .filter(w -> pkg.equals(w.getCapability().getAttributes().get("osgi.wiring.package")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no wire for " + pkg));
            assertEquals(0, wire.getProvider().getBundle().getBundleId(), pkg + " comes from the system bundle");
        }
    }
}
