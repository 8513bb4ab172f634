package dev.serval.distribution;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a handler bundle that answers which build of it serves: the bundle's version
 * and its manifest's {@value #BUILD} header. {@link BundleBuildsIT}, {@link DevLoopIT} and
 * {@link HandlerSwapIT} pack it into builds of one bundle that differ only in those (and, for a build
 * that cannot serve, {@value #FAILS}).
 */
public final class BuildReporter implements BundleActivator, Handler {

    /** The handler's name. */
    static final String NAME = "build_reporter";
    /** The manifest header naming a build. */
    static final String BUILD = "X-Build";
    /** The manifest header of a build whose handler fails to initialize, saying how. */
    static final String FAILS = "X-Fails-To-Initialize";

    private Bundle bundle;

    /**
     * @param jar where to write the build
     * @param version its {@code Bundle-Version}
     * @param build what it answers as its build
     * @return the jar, a build of the bundle {@code test.build}
     * @throws IOException when it cannot be written
     */
    static Path jar(Path jar, String version, String build) throws IOException {
        return TestBundles.write(
                jar,
                "test.build",
                version,
                BuildReporter.class,
                "org.osgi.framework,dev.serval.sdk",
                Map.of(BUILD, build));
    }

    /**
     * @param jar where to write the build
     * @param version its {@code Bundle-Version}
     * @param build what it names itself in the exception its {@code initialize} throws
     * @return the jar, a build of the bundle {@code test.build} that cannot serve
     * @throws IOException when it cannot be written
     */
    static Path failingJar(Path jar, String version, String build) throws IOException {
        return TestBundles.write(
                jar,
                "test.build",
                version,
                BuildReporter.class,
                "org.osgi.framework,dev.serval.sdk",
                Map.of(BUILD, build, FAILS, "build " + build + " cannot initialize"));
    }

    @Override
    public void start(BundleContext context) {
        bundle = context.getBundle();
        context.registerService(Handler.class, this, new Hashtable<>(Map.of(Handler.NAME, NAME)));
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service.
    }

    @Override
    public void initialize(Context context) {
        String fails = bundle.getHeaders().get(FAILS);
        if (fails != null) {
            throw new IllegalStateException(fails);
        }
    }

    @Override
    public List<Response> handle(List<Request> batch, Context context) {
        Map<String, String> build = Map.of(
                "version",
                bundle.getVersion().toString(),
                "build",
                bundle.getHeaders().get(BUILD));
        return batch.stream().map(request -> Response.json(build)).toList();
    }
}
