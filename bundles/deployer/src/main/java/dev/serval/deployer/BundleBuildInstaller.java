package dev.serval.deployer;

import dev.serval.kernel.api.BundleBuild;
import dev.serval.kernel.api.HandlerTrial;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the deploy folder's bundle jars for FileInstall's jar watcher, one build per bundle:
 * of the jars of one symbolic name, only the {@linkplain BundleBuild#newest newest} is installed
 * and started; a newer one replaces it, and when it goes, the newest of those left takes its
 * place. Each build left out is reported in one warning naming both files.
 *
 * <p>A new build of a bundle whose handlers serve models is not put in the old one's place at once:
 * it is installed beside it, under a location of its own, and the kernel's {@link HandlerTrial}
 * tries it on those models. Adopted, it stays and the old build is uninstalled; else it is
 * uninstalled, with one warning naming its file, and the old build serves on. A bundle that serves
 * no model is updated in place.
 *
 * <p>FileInstall asks its installers, this one before its own way of installing bundles, to
 * install, update and uninstall each jar as it appears, changes and goes; this one decides from
 * the jars in the folder, not from what happens to be installed, so that FileInstall's first
 * scan, which hands over every jar at once in no fixed order, installs the same builds at every
 * start. It installs the bundles itself rather than letting FileInstall do it, because FileInstall
 * never forgets a bundle uninstalled behind its back: it would later update that dead bundle
 * instead of installing the file again. Like FileInstall, it runs on the jar watcher's thread, so
 * a bundle whose start hangs holds back that watcher alone, and after each change it retries the
 * bundles that did not start yet, whose imports a new bundle may now provide.
 */
@Component(property = "service.ranking:Integer=100")
public class BundleBuildInstaller implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(BundleBuildInstaller.class);
    /** How long a refresh of the framework's wiring is waited for. */
    private static final long REFRESH_WAIT_S = 30;

    private final BundleContext context;
    private final Path deployFolder;
    /** The bundles installed, by the jar each was installed from; only the jar watcher's thread touches it. */
    private final Map<Path, Bundle> installed = new HashMap<>();

    private final ServiceRegistration<CollisionHook> collisions;
    /** The bundle that the build being installed beside it may share its symbolic name and version with. */
    private volatile Bundle tolerated;
    /** How many builds were installed beside the one of their own jar, each under a location of its own. */
    private long builds;

    /**
     * @param context this bundle's context, for the deploy folder and to install bundles
     */
    @Activate
    public BundleBuildInstaller(BundleContext context) {
        this.context = context;
        this.deployFolder = path(new File(context.getProperty(ModelArtifactInstaller.DEPLOY_FOLDER)));
        // The framework refuses a second bundle of one symbolic name and version; a rebuilt jar
        // of the same version is one while it is tried, and one of the two goes right after.
        this.collisions = context.registerService(
                CollisionHook.class,
                (operation, target, candidates) -> {
                    if (operation == CollisionHook.INSTALLING && tolerated != null) {
                        candidates.remove(tolerated);
                    }
                },
                null);
    }

    /** Lets a rebuilt jar collide with the build it is tried beside no more. */
    @Deactivate
    void deactivate() {
        collisions.unregister();
    }

    /** The jar watcher's jars: those directly in the deploy folder that are bundles. */
    @Override
    public boolean canHandle(File artifact) {
        Path file = path(artifact);
        return file.getFileName().toString().endsWith(".jar")
                && deployFolder.equals(file.getParent())
                && BundleBuild.read(file).isPresent();
    }

    @Override
    public synchronized void install(File artifact) {
        BundleBuild.read(path(artifact)).ifPresent(build -> settle(build, false));
        startAll();
    }

    @Override
    public synchronized void update(File artifact) {
        Path file = path(artifact);
        Optional<BundleBuild> build = BundleBuild.read(file);
        Bundle before = installed.get(file);
        if (before != null
                && !build.map(BundleBuild::symbolicName).equals(Optional.ofNullable(before.getSymbolicName()))) {
            // Another bundle now: the old one goes, and another build of it may take its place.
            withdraw(file);
        }
        build.ifPresent(b -> settle(b, true));
        startAll();
    }

    @Override
    public synchronized void uninstall(File artifact) {
        withdraw(path(artifact));
        startAll();
    }

    /** Uninstalls a jar's bundle, if it was installed, and installs the newest build left of it. */
    private void withdraw(Path file) {
        Bundle bundle = installed.remove(file);
        if (bundle == null) {
            return;
        }
        String symbolicName = bundle.getSymbolicName();
        remove(List.of(bundle));
        try {
            BundleBuild.newest(BundleBuild.in(deployFolder, symbolicName).toList())
                    .ifPresent(next -> {
                        LOG.info("Bundle {}: {} takes the place of {}", symbolicName, next, describe(file, bundle));
                        settle(next, false);
                    });
        } catch (IOException e) {
            LOG.warn("Bundle {}: cannot list the deploy folder for another build: {}", symbolicName, e.getMessage());
        }
    }

    /**
     * Makes the newest build of the given one's bundle the one installed.
     *
     * @param build a build that appeared or changed
     * @param changed whether its jar changed after it was installed
     */
    private void settle(BundleBuild build, boolean changed) {
        List<BundleBuild> builds;
        try {
            builds = BundleBuild.in(deployFolder, build.symbolicName()).toList();
        } catch (IOException e) {
            LOG.warn(
                    "Bundle {}: {} not installed, the deploy folder cannot be listed: {}",
                    build.symbolicName(),
                    build,
                    e.getMessage());
            return;
        }
        BundleBuild newest = BundleBuild.newest(builds).orElse(build);
        if (!newest.file().equals(build.file()) && !installed.containsKey(build.file())) {
            LOG.warn(
                    "Bundle {}: {} is not installed, {} of the deploy folder is newer",
                    build.symbolicName(),
                    build,
                    newest);
            return;
        }
        List<Bundle> older = installed.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(newest.file())
                        && newest.symbolicName().equals(entry.getValue().getSymbolicName()))
                .map(Map.Entry::getValue)
                .toList();
        Bundle current = installed.get(newest.file());
        if (current != null && !(changed && newest.file().equals(build.file()))) {
            replace(newest, older);
            return;
        }
        Optional<Bundle> serving = Stream.concat(Stream.ofNullable(current), older.stream())
                .filter(this::servesModels)
                .findFirst();
        if (serving.isPresent()) {
            tryBeside(newest, serving.get(), older);
            return;
        }
        replace(newest, older);
        try (InputStream jar = Files.newInputStream(newest.file())) {
            if (current == null) {
                installed.put(
                        newest.file(),
                        context.installBundle(newest.file().toUri().toString(), jar));
            } else {
                // Stopped for the update only, so that the refresh does not restart it twice; startAll starts it.
                current.stop(Bundle.STOP_TRANSIENT);
                current.update(jar);
                refresh(List.of(current));
            }
        } catch (IOException | BundleException | RuntimeException e) {
            LOG.error("Bundle {}: {} could not be installed: {}", newest.symbolicName(), newest, e.getMessage(), e);
        }
    }

    /** Uninstalls the older builds, now that the newest is or is to be installed. */
    private void replace(BundleBuild newest, List<Bundle> older) {
        installed.entrySet().removeIf(entry -> {
            boolean replaced = older.contains(entry.getValue());
            if (replaced) {
                LOG.warn(
                        "Bundle {}: {} replaces {} of the deploy folder, which is uninstalled",
                        newest.symbolicName(),
                        newest,
                        describe(entry.getKey(), entry.getValue()));
            }
            return replaced;
        });
        remove(older);
    }

    /** @return whether models are served by the bundle's handlers, so that a new build of it is tried first */
    private boolean servesModels(Bundle bundle) {
        return withTrial(trial -> trial.serves(bundle));
    }

    /**
     * Installs the newest build as a bundle of its own beside the one serving and has the kernel
     * try it: adopted, it takes the place of every build installed before; else it is uninstalled
     * and the serving one serves on.
     */
    private void tryBeside(BundleBuild newest, Bundle serving, List<Bundle> older) {
        Bundle candidate;
        try (InputStream jar = Files.newInputStream(newest.file())) {
            String location = newest.file().toUri().toString();
            tolerated = serving;
            candidate = context.installBundle(
                    context.getBundle(location) == null ? location : location + "#build-" + (++builds), jar);
        } catch (IOException | BundleException | RuntimeException e) {
            LOG.error("Bundle {}: {} could not be installed: {}", newest.symbolicName(), newest, e.getMessage(), e);
            return;
        } finally {
            tolerated = null;
        }
        if (withTrial(trial -> trial.adopt(candidate, serving))) {
            replace(newest, older);
            Bundle before = installed.put(newest.file(), candidate);
            if (before != null) {
                remove(List.of(before));
            }
            return;
        }
        Path servingFile = installed.entrySet().stream()
                .filter(entry -> entry.getValue().equals(serving))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(newest.file());
        LOG.warn(
                "Bundle {}: {} was not adopted and is uninstalled; {} serves on",
                newest.symbolicName(),
                newest,
                servingFile.equals(newest.file())
                        ? "the build installed from it before (" + serving.getVersion() + ")"
                        : describe(servingFile, serving));
        remove(List.of(candidate));
    }

    /** @return what the kernel's trial of handler bundles answers, false when it has none (yet) */
    private boolean withTrial(Predicate<HandlerTrial> call) {
        ServiceReference<HandlerTrial> reference = context.getServiceReference(HandlerTrial.class);
        HandlerTrial trial = reference == null ? null : context.getService(reference);
        if (trial == null) {
            return false;
        }
        try {
            return call.test(trial);
        } finally {
            context.ungetService(reference);
        }
    }

    /** Uninstalls bundles and lets the framework drop their wiring. */
    private void remove(List<Bundle> bundles) {
        for (Bundle bundle : bundles) {
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Bundle {} could not be uninstalled: {}", bundle.getSymbolicName(), e.getMessage());
            }
        }
        refresh(bundles);
    }

    private void refresh(List<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, event -> done.countDown());
        try {
            if (!done.await(REFRESH_WAIT_S, TimeUnit.SECONDS)) {
                LOG.warn("The framework did not refresh {} within {} s", bundles, REFRESH_WAIT_S);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the installed bundles that are not started yet: a bundle installed since may resolve them. */
    private void startAll() {
        for (Bundle bundle : installed.values()) {
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (fragment || (bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.UNINSTALLED)) != 0) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Bundle {} did not start: {}", bundle.getSymbolicName(), e.getMessage());
            }
        }
    }

    private static String describe(Path file, Bundle bundle) {
        return file.getFileName() + " (" + bundle.getVersion() + ")";
    }

    private static Path path(File file) {
        return file.toPath().toAbsolutePath().normalize();
    }
}
