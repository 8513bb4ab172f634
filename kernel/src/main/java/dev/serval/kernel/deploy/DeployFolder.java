package dev.serval.kernel.deploy;

import dev.serval.kernel.model.ModelArchive;
import dev.serval.kernel.threads.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the deploy folder for models ({@code .mar} and {@code .zip} archives, and folders with
 * {@code MAR-INF/MANIFEST.json}) and deploys, redeploys and undeploys them as they come, change
 * and go.
 *
 * <p>Bundle jars in the same folder are Felix FileInstall's, models are not: FileInstall does
 * everything on one thread, bundle starts, updates and uninstalls among them, so a bundle whose
 * activator or DS component takes long to start would hold back every model behind it, and one
 * that hangs would hold them back for good. This watcher has a thread of its own and touches no
 * bundle.
 *
 * <p>Every {@value #POLL_MS} ms it lists the folder and compares each model's size and
 * modification time (a folder's: those of every file in it) with the previous poll's. As with
 * FileInstall, a change is acted on at the poll that sees it, so archives should appear whole
 * (moved in, not written in place); one taken half-written fails to load, and the next poll
 * retries it.
 */
public final class DeployFolder implements AutoCloseable {

    /** How often the folder is looked at. */
    static final long POLL_MS = 500;
    /** How long closing waits for a deploy in progress. */
    private static final long CLOSE_WAIT_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);

    private final Path dir;
    private final ModelDeployer deployer;
    /** The models of the last poll and their stamps; read and written by the poll only. */
    private final Map<Path, Long> seen = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("serval-deploy-folder"));

    /**
     * @param dir the deploy folder
     * @param deployer what serves the models found there
     */
    public DeployFolder(Path dir, ModelDeployer deployer) {
        this.dir = dir.toAbsolutePath().normalize();
        this.deployer = deployer;
    }

    /** Deploys the models in the folder now, then follows its changes, on the watcher's thread. */
    public void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Looks at the folder once: undeploys what went, redeploys what changed, deploys what came. */
    void poll() {
        Map<Path, Long> now;
        try {
            now = scan();
        } catch (IOException | UncheckedIOException e) {
            // Gone or unreadable for now: nothing is known to have changed.
            LOG.debug("Deploy folder {} not listed: {}", dir, e.getMessage());
            return;
        }
        seen.keySet().stream().filter(path -> !now.containsKey(path))
                .forEach(path -> act(deployer::undeploy, path));
        now.forEach((path, stamp) -> {
            Long before = seen.get(path);
            if (before == null) {
                act(deployer::deploy, path);
            } else if (!before.equals(stamp)) {
                act(deployer::redeploy, path);
            }
        });
        seen.clear();
        seen.putAll(now);
    }

    private Map<Path, Long> scan() throws IOException {
        Map<Path, Long> found = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.filter(ModelArchive::isModel).toList()) {
                try {
                    found.put(entry, stamp(entry));
                } catch (IOException | UncheckedIOException e) {
                    // Changing as we look (a folder being copied, a file just removed): what is
                    // known stays as it was until a poll sees it whole.
                    if (seen.containsKey(entry)) {
                        found.put(entry, seen.get(entry));
                    }
                }
            }
        }
        return found;
    }

    /** @return what changes when the file, or any file of the folder, changes */
    private static long stamp(Path entry) throws IOException {
        if (!Files.isDirectory(entry)) {
            return stamp(entry, entry);
        }
        long stamp = 17;
        try (Stream<Path> files = Files.walk(entry)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                stamp = 31 * stamp + stamp(entry, file);
            }
        }
        return stamp;
    }

    private static long stamp(Path root, Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return (31 * root.relativize(file).hashCode() + attributes.size()) * 31
                + attributes.lastModifiedTime().toMillis();
    }

    private static void act(Consumer<Path> action, Path path) {
        try {
            action.accept(path);
        } catch (RuntimeException e) {
            // The watcher must outlive any one artifact.
            LOG.error("Deploy folder: {} failed: {}", path.getFileName(), e.getMessage(), e);
        }
    }

    /** Stops watching, after the deploy in progress (if any, up to 10 s). */
    @Override
    public void close() throws InterruptedException {
        poller.shutdown();
        if (!poller.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
            LOG.warn("Deploy folder: a deploy still running after {} s is abandoned", CLOSE_WAIT_MS / 1000);
            poller.shutdownNow();
        }
    }
}
