package dev.serval.kernel.deploy;

import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.catalog.Source;
import dev.serval.serving.DaemonThreads;
import dev.serval.serving.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves models shipped as OSGi bundles: an active bundle whose manifest has a
 * {@value #HEADER} header (the folder inside the bundle holding the model files, as in a
 * {@code .mar}) is served while it is active.
 *
 * <p>The files are copied out of the bundle, because engines load models from disk. A bundle
 * updated in place is stopped and started again; the model is retired only if the bundle has not
 * come back within {@link #UPDATE_GRACE_MS}, and a new revision replaces the old one without a
 * gap, as a replaced {@code .mar} does.
 */
public final class ModelBundles implements BundleTrackerCustomizer<Path>, AutoCloseable {

    /** The manifest header that makes a bundle a model bundle. */
    public static final String HEADER = "Serval-Model";
    /** How long a stopped model bundle has to come back before its model is retired. */
    public static final long UPDATE_GRACE_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(ModelBundles.class);

    private final Deployments deployments;
    private final Catalog catalog;
    private final Path extractRoot;
    private final BundleTracker<Path> tracker;
    private final Map<String, ScheduledFuture<?>> retiring = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("serval-model-bundles"));

    /**
     * @param context the system bundle's context
     * @param deployments where the models are served
     * @param catalog what is served, where each bundle's model is found by its source
     * @param extractRoot where the bundles' model files are copied
     */
    public ModelBundles(BundleContext context, Deployments deployments, Catalog catalog, Path extractRoot) {
        this.deployments = deployments;
        this.catalog = catalog;
        this.extractRoot = extractRoot;
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, this);
    }

    /** Starts serving the model bundles that are active now and those that become active. */
    public void open() {
        tracker.open();
    }

    @Override
    public synchronized Path addingBundle(Bundle bundle, BundleEvent event) {
        String folder = bundle.getHeaders().get(HEADER);
        if (folder == null) {
            return null;
        }
        Path dir;
        try {
            dir = copyOut(bundle, folder);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("Model bundle {} not deployed: {}", bundle.getSymbolicName(), e.getMessage(), e);
            return null;
        }
        ScheduledFuture<?> pending = retiring.remove(bundle.getSymbolicName());
        if (pending != null) {
            pending.cancel(false);
        }
        Source source = Source.modelBundle(bundle.getSymbolicName());
        Optional<Path> previous = folderServed(source);
        if (!deployments.serve(dir, source)) {
            // The reason is logged; whatever served before (the previous revision) serves on.
            Folders.deleteTree(dir);
            return previous.orElse(null);
        }
        previous.ifPresent(Folders::deleteTree);
        return dir;
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Path dir) {
        // Still active: nothing to do.
    }

    @Override
    public synchronized void removedBundle(Bundle bundle, BundleEvent event, Path dir) {
        String name = bundle.getSymbolicName();
        retiring.put(name, timer.schedule(() -> retire(name, dir), UPDATE_GRACE_MS, TimeUnit.MILLISECONDS));
    }

    private synchronized void retire(String name, Path dir) {
        retiring.remove(name);
        Source source = Source.modelBundle(name);
        if (folderServed(source).filter(dir::equals).isPresent()) {
            deployments.undeploy(source);
            Folders.deleteTree(dir);
        }
    }

    /** @return the folder the bundle's model is served from now */
    private Optional<Path> folderServed(Source source) {
        return catalog.servedFrom(source).map(entry -> entry.version().archive().source());
    }

    /** Copies the bundle's model folder into a new folder of its own. */
    private Path copyOut(Bundle bundle, String folder) throws IOException {
        String root = folder.replaceAll("^/+|/+$", "");
        Files.createDirectories(extractRoot);
        Path dir = Files.createTempDirectory(extractRoot, bundle.getSymbolicName() + "-");
        try {
            copyEntries(bundle, folder, root, dir);
        } catch (IOException | RuntimeException e) {
            Folders.deleteTree(dir);
            throw e;
        }
        return dir;
    }

    private static void copyEntries(Bundle bundle, String folder, String root, Path dir) throws IOException {
        Enumeration<URL> entries = bundle.findEntries(root.isEmpty() ? "/" : root, "*", true);
        if (entries == null) {
            throw new IOException("its " + HEADER + " folder '" + folder + "' is not in the bundle");
        }
        while (entries.hasMoreElements()) {
            URL entry = entries.nextElement();
            String path = entry.getPath().replaceFirst("^/+", "");
            if (path.endsWith("/")) {
                continue;
            }
            Path target = dir.resolve(path.substring(root.length()).replaceFirst("^/+", ""))
                    .normalize();
            if (!target.startsWith(dir)) {
                throw new IOException("entry escapes the model folder: " + path);
            }
            Files.createDirectories(target.getParent());
            try (InputStream in = entry.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Stops tracking and retires every model bundle's model. */
    @Override
    public synchronized void close() {
        tracker.close();
        timer.shutdownNow();
        catalog.entries().stream()
                .filter(e -> e.source().kind() == Source.Kind.MODEL_BUNDLE)
                .forEach(entry -> {
                    deployments.undeploy(entry.source());
                    Folders.deleteTree(entry.version().archive().source());
                });
    }
}
