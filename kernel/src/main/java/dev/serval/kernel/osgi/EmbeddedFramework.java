package dev.serval.kernel.osgi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.sdk.Handler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Apache Felix, embedded: the framework, the server's own bundles from {@code bundles/}, and
 * Felix FileInstall watching the deploy folder with two watchers, each a thread of its own: one
 * for bundle jars, configured here by framework properties (FileInstall's initial watcher), and
 * one for models, a configuration of FileInstall's factory PID in ConfigurationAdmin, which the
 * deployer bundle makes from {@link #modelWatcher(ServerConfig)}.
 *
 * <p>Two because a watcher does everything on its one thread, bundle starts among them: a bundle
 * whose activator or DS component takes long to start would hold back every model deploy and
 * undeploy behind it, and one that hangs would hold them back for good.
 */
public final class EmbeddedFramework implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFramework.class);

    /** The console shell needs a terminal; without one it would stop the framework at once. */
    private static final String CONSOLE_SHELL = "org.apache.felix.gogo.jline";

    private static final String CONFIG_ADMIN = "org.apache.felix.configadmin";
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    /** Everything in the deploy folder but bundle jars, hidden files and FileInstall's configuration files. */
    static final String MODELS = "(?!\\.)(?![^/]*\\.(jar|cfg|config)$).*";

    private static final String POLL_MS = "500";
    private static final String LOG_WARNINGS = "2";
    /** How long stopping waits for the bundles to stop. */
    private static final long STOP_WAIT_MS = 10_000;

    /** Held, since java.util.logging forgets the level of a logger nobody references. */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");
    /**
     * FileInstall's own messages: with {@code felix.fileinstall.log.default=jul} it logs to this
     * java.util.logging logger, sent on to SLF4J and so into the server's log with timestamps,
     * rather than printed bare on stdout.
     */
    private static final java.util.logging.Logger FILEINSTALL_LOG = java.util.logging.Logger.getLogger("fileinstall");

    static {
        FILEINSTALL_LOG.setUseParentHandlers(false);
        FILEINSTALL_LOG.addHandler(new SLF4JBridgeHandler());
    }

    private final Framework framework;

    private EmbeddedFramework(Framework framework) {
        this.framework = framework;
    }

    /**
     * @return what the system bundle exports besides the JDK: the SDK, the kernel's API, DJL (with
     *     its Hugging Face tokenizers), SLF4J and Jackson, from the kernel's class path
     */
    public static String hostPackages() {
        return HostPackages.exportsOf(List.of(
                Handler.class,
                CommandShell.class,
                ai.djl.Model.class,
                ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.class,
                Logger.class,
                ObjectMapper.class,
                com.fasterxml.jackson.core.JsonParser.class,
                com.fasterxml.jackson.annotation.JsonProperty.class));
    }

    /**
     * Starts the framework and installs the server's bundles, but does not start them yet: the
     * kernel first registers the services they need, then calls {@link #startBundles()}.
     *
     * @param config the server settings
     * @return the running framework
     * @throws BundleException when the framework cannot start
     * @throws IOException when the bundles folder cannot be read
     */
    public static EmbeddedFramework start(ServerConfig config) throws BundleException, IOException {
        Map<String, Object> properties = new HashMap<>();
        properties.put(
                Constants.FRAMEWORK_STORAGE,
                config.workDir().resolve("felix-cache").toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, hostPackages());
        properties.put("felix.log.logger", new FelixLogger());
        // The jar watcher. No noInitialDelay: FileInstall's first scan would then run, bundle
        // starts and all, on the thread starting FileInstall — the kernel's own start.
        properties.put(
                "felix.fileinstall.dir", config.deployDir().toAbsolutePath().toString());
        properties.put("felix.fileinstall.filter", ".*\\.jar");
        properties.put("felix.fileinstall.poll", POLL_MS);
        properties.put("felix.fileinstall.bundles.new.start", "true");
        properties.put(
                "felix.fileinstall.tmpdir",
                config.workDir().resolve("fileinstall").toString());
        properties.put("felix.fileinstall.log.level", LOG_WARNINGS);
        properties.put("felix.fileinstall.log.default", "jul");
        // FileInstall would otherwise write configurations back into the folders it watches.
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("gosh.args", "--noshutdown");

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework on the class path"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Framework framework = factory.newFramework((Map) properties);
        framework.init();
        EmbeddedFramework embedded = new EmbeddedFramework(framework);
        embedded.installBundles(config.bundlesDir());
        framework.start();
        return embedded;
    }

    /**
     * @param config the server settings
     * @return FileInstall's settings for the deploy folder's model watcher: what is not a bundle
     *     jar, handed to the deployer bundle's installer; it starts no bundle, so no bundle's
     *     start can hold it back
     */
    public static Map<String, String> modelWatcher(ServerConfig config) {
        return Map.of(
                "felix.fileinstall.dir",
                config.deployDir().toAbsolutePath().toString(),
                "felix.fileinstall.filter",
                MODELS,
                "felix.fileinstall.poll",
                POLL_MS,
                "felix.fileinstall.bundles.new.start",
                "false",
                "felix.fileinstall.tmpdir",
                config.workDir().resolve("fileinstall-models").toString(),
                "felix.fileinstall.log.level",
                LOG_WARNINGS);
    }

    /** @return the system bundle's context, for the kernel's own services and trackers */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    private void installBundles(Path dir) throws IOException, BundleException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("Bundles folder not found: " + dir);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            context().installBundle(jar.toUri().toString());
        }
    }

    /**
     * Starts every installed bundle; one that fails is logged and left out, never fatal.
     */
    public void startBundles() {
        List<Bundle> toStart = new ArrayList<>();
        for (Bundle bundle : context().getBundles()) {
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (bundle.getBundleId() != 0 && !fragment) {
                toStart.add(bundle);
            }
        }
        // ConfigAdmin first: FileInstall takes its lock for writing when ConfigAdmin comes, and
        // the jar watcher holds it for reading while it starts deploy/'s bundles, for good if one
        // hangs, which would then hang this start too. FileInstall last: its jar watcher's first
        // scan must find the deployer's rule of one build per bundle in place.
        toStart.sort(Comparator.comparing((Bundle bundle) -> !CONFIG_ADMIN.equals(bundle.getSymbolicName()))
                .thenComparing(bundle -> FILEINSTALL.equals(bundle.getSymbolicName())));
        for (Bundle bundle : toStart) {
            if (CONSOLE_SHELL.equals(bundle.getSymbolicName())) {
                if (System.console() != null) {
                    startConsoleShell(bundle);
                }
                continue;
            }
            start(bundle);
        }
    }

    /**
     * gogo.jline finds the real terminal only with no context class loader set. JLine logs
     * through java.util.logging, outside the server's log; its warning that it falls back to a
     * dumb terminal (no line editing) is no fault of the server's, and only its errors are kept.
     */
    private void startConsoleShell(Bundle bundle) {
        JLINE_LOG.setLevel(java.util.logging.Level.SEVERE);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(null);
        try {
            start(bundle);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            LOG.error("Bundle {} did not start: {}", bundle.getSymbolicName(), e.getMessage(), e);
        }
    }

    /**
     * Stops every bundle and the framework, waiting for it up to {@value #STOP_WAIT_MS} ms: a
     * bundle that never finished starting holds its lock for good, and the framework's stop would
     * wait on it for ever; the server stops anyway.
     */
    @Override
    public void close() throws Exception {
        framework.stop();
        if (framework.waitForStop(STOP_WAIT_MS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            LOG.warn(
                    "The framework did not stop within {} s; stopping without it. Bundles still starting or "
                            + "stopping: {}",
                    STOP_WAIT_MS / 1000,
                    Stream.of(context().getBundles())
                            .filter(b ->
                                    b.getBundleId() != 0 && (b.getState() & (Bundle.STARTING | Bundle.STOPPING)) != 0)
                            .map(Bundle::getSymbolicName)
                            .toList());
        }
    }
}
