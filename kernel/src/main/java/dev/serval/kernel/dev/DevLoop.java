package dev.serval.kernel.dev;

import dev.serval.serving.DaemonThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls handler projects and model folders and publishes each change into the deploy folder:
 * FileInstall then updates the handler bundle in place, and its model watcher
 * replaces the model without a gap, as for any file dropped there.
 *
 * <p>A change is published once it has held still for one poll, so a jar Maven is still writing
 * or a file an editor is still saving is never taken half-done. Once the server has stopped,
 * {@link #retire} takes out what the loop added to the deploy folder.
 */
public final class DevLoop implements AutoCloseable {

    /** How often the sources are looked at. */
    static final long POLL_MS = 250;

    private static final Logger LOG = LoggerFactory.getLogger(DevLoop.class);

    private final List<DevSource> sources;
    /** The deploy folder's files before the loop published anything. */
    private final Set<Path> before;

    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("serval-dev"));

    private DevLoop(List<DevSource> sources, Set<Path> before) {
        this.sources = sources;
        this.before = before;
    }

    /**
     * @param deployDir the server's deploy folder
     * @param handlerProjects Maven projects building handler bundles into {@code target/}
     * @param modelFolders model folders, each with {@code MAR-INF/MANIFEST.json}
     * @return the loop, not started
     * @throws IllegalArgumentException when a project or model folder is not one
     * @throws IOException when the deploy folder cannot be listed
     */
    public static DevLoop watch(Path deployDir, List<Path> handlerProjects, List<Path> modelFolders)
            throws IOException {
        List<DevSource> sources = new ArrayList<>();
        for (Path project : handlerProjects) {
            sources.add(DevSource.handlerProject(project.toAbsolutePath().normalize(), deployDir));
        }
        for (Path folder : modelFolders) {
            sources.add(DevSource.modelFolder(folder.toAbsolutePath().normalize(), deployDir));
        }
        Set<Path> before = Set.of();
        if (Files.isDirectory(deployDir)) {
            try (Stream<Path> files = Files.list(deployDir)) {
                before = Set.copyOf(files.toList());
            }
        }
        return new DevLoop(sources, before);
    }

    /** @return this loop, polling from now on */
    public DevLoop start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
        sources.forEach(source -> LOG.info("dev: watching {}", source));
        return this;
    }

    private void poll() {
        for (DevSource source : sources) {
            try {
                if (source.changedAndSettled()) {
                    long start = System.nanoTime();
                    Path published = source.publish();
                    LOG.info(
                            "dev: {} changed; published {} in {} ms",
                            source,
                            published.getFileName(),
                            (System.nanoTime() - start) / 1_000_000);
                }
            } catch (IOException | RuntimeException e) {
                // The next change gets another try; the loop itself must keep running.
                LOG.error("dev: cannot publish {}: {}", source, e.getMessage(), e);
            }
        }
    }

    /** Stops polling, letting a publish under way finish. */
    @Override
    public void close() throws InterruptedException {
        poller.shutdown();
        poller.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Takes out of the deploy folder, once the server has stopped, the files the loop added,
     * leaving the newest build of a bundle that had an older build there before (see
     * {@link DevSource#retire}).
     *
     * @throws IOException when a file cannot be moved or deleted
     */
    public void retire() throws IOException {
        for (DevSource source : sources) {
            if (source.hasPublished()) {
                Optional<Path> left = source.retire(before);
                if (left.isPresent()) {
                    LOG.info(
                            "dev: left the newest build of {} in {}",
                            source,
                            left.get().getFileName());
                } else {
                    LOG.info("dev: removed {}, which dev had added to the deploy folder", source.target.getFileName());
                }
            }
        }
    }
}
