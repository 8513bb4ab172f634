package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The distribution's OSGi contract, checked when it is built: every bundle of {@code bundles/}
 * resolves in Felix against what the distribution provides, the packages the kernel exports
 * through the system bundle (computed by the kernel's own code from the jars of {@code lib/}) and
 * the other bundles. A handler importing DJL at a range the kernel's DJL is not in, or a package
 * nothing exports, is reported with Felix's reason, before any server starts.
 */
class BundlesResolveIT {

    @Test
    void everyShippedBundleResolvesAgainstTheKernelsExports(@TempDir Path storage) throws Exception {
        List<Path> jars = jars(ServerProcess.DIST.resolve("bundles"));
        Framework framework = ServiceLoader.load(FrameworkFactory.class)
                .findFirst()
                .orElseThrow()
                .newFramework(Map.of(
                        Constants.FRAMEWORK_STORAGE, storage.toString(),
                        Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, hostPackagesOfLib()));
        // Started, so that starting a bundle resolves it at once, saying why it cannot; none is started else.
        framework.start();
        try {
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jars) {
                bundles.add(
                        framework.getBundleContext().installBundle(jar.toUri().toString()));
            }
            framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
            List<String> unresolved = new ArrayList<>();
            for (Bundle bundle : bundles) {
                if (bundle.getState() == Bundle.INSTALLED) {
                    unresolved.add(reason(bundle));
                }
            }
            assertTrue(unresolved.isEmpty(), String.join("\n", unresolved));
            assertEquals(jars.size(), bundles.size());
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** @return what the kernel of {@code lib/} exports, computed in a class loader of those jars alone */
    private static String hostPackagesOfLib() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars(ServerProcess.DIST.resolve("lib"))) {
            urls.add(jar.toUri().toURL());
        }
        try (URLClassLoader lib = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            return (String) lib.loadClass("dev.serval.kernel.osgi.EmbeddedFramework")
                    .getMethod("hostPackages")
                    .invoke(null);
        }
    }

    /** Felix says why a bundle does not resolve when it is asked to start it. */
    private static String reason(Bundle bundle) {
        try {
            bundle.start();
            return bundle.getSymbolicName() + " did not resolve";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    private static List<Path> jars(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars =
                    files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            assertTrue(!jars.isEmpty(), "no jars in " + folder);
            return jars;
        }
    }
}
