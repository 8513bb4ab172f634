package dev.serval.paxexam;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import dev.serval.kernel.osgi.EmbeddedFramework;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * A Pax Exam configuration: a plain Felix whose system bundle exports what the kernel's exports
 * to its bundles ({@link EmbeddedFramework#hostPackages()}, read from this JVM's class path as
 * the kernel reads it from its own), Declarative Services, and the bundles under test, from the
 * jars the build copied to {@code target/bundles}.
 *
 * <p>The host packages go in as {@code systemPackages}, never as a {@code frameworkProperty} of
 * {@code org.osgi.framework.system.packages.extra}: Pax Exam writes its own packages into that
 * property, and one set by a test replaces them, so that its bundles wire to a copy of
 * {@code org.ops4j.pax.exam} and its probe is never found.
 */
final class PlainFelix {

    /** Where the build copied the bundles, named by artifact id. */
    static final Path BUNDLES = Path.of(System.getProperty("paxexam.bundles", "target/bundles"));
    /** The test kit, for the probe alone: it loads the reference models as the server does. */
    private static final String TEST_KIT = "dev.serval.sdk.testkit";
    /**
     * Pax Exam's own bundles import SLF4J 1's API, which SLF4J 2's jar exports too; the kernel
     * exports only its version 2, the one its bundles import, and they are wired to it here too.
     */
    private static final String SLF4J_1_API = "org.slf4j;version=\"1.7.36\"";

    private static final String[] DECLARATIVE_SERVICES = {
        "org.apache.felix.scr", "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function"
    };

    private PlainFelix() {}

    /**
     * @param artifacts the bundles under test, by artifact id, dependencies first
     * @return the kernel's host packages and the test kit exported, DS and the bundles installed
     */
    static Option[] kernelHost(String... artifacts) {
        List<String> packages = new ArrayList<>(hostPackages());
        packages.add(TEST_KIT);
        return framework(packages, artifacts);
    }

    /**
     * @param systemPackages what the system bundle exports besides the JDK and Pax Exam
     * @param artifacts the bundles under test, by artifact id, dependencies first
     * @return the configuration
     */
    static Option[] framework(List<String> systemPackages, String... artifacts) {
        List<Option> bundles = new ArrayList<>();
        Arrays.stream(DECLARATIVE_SERVICES).map(PlainFelix::installed).forEach(bundles::add);
        Arrays.stream(artifacts).map(PlainFelix::installed).forEach(bundles::add);
        List<String> exported = new ArrayList<>(systemPackages);
        exported.add(SLF4J_1_API);
        return options(
                systemPackages(exported.toArray(String[]::new)),
                junitBundles(),
                cleanCaches(),
                workingDirectory(BUNDLES.resolveSibling("paxexam").toString()),
                composite(bundles.toArray(Option[]::new)));
    }

    /** @return the kernel's exports, one {@code Export-Package} clause each */
    static List<String> hostPackages() {
        // No clause holds a comma: each is a package name and its quoted version.
        return List.of(EmbeddedFramework.hostPackages().split(","));
    }

    private static Option installed(String artifact) {
        return bundle(BUNDLES.resolve(artifact + ".jar").toUri().toString());
    }
}
