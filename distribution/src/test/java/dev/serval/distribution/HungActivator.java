package dev.serval.distribution;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a bundle that never finishes starting, as one stuck on a lock or a network
 * call would be; it ignores interrupts too. {@link HungBundleIT} packs it into a bundle jar.
 */
public final class HungActivator implements BundleActivator {

    /** Printed (to the server's log) when the framework calls {@link #start}. */
    static final String STARTING = "HungActivator: start() called, never returning";

    @Override
    public void start(BundleContext context) {
        System.out.println(STARTING);
        while (true) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                // Hung for good: not even an interrupt ends it.
            }
        }
    }

    @Override
    public void stop(BundleContext context) {
        // Never started, so never stopped.
    }
}
