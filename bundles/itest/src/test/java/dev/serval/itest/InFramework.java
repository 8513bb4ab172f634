package dev.serval.itest;

import dev.serval.kernel.Serval;
import dev.serval.kernel.catalog.Catalog;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.deploy.Deployments;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A server started by {@link Serval#start} itself, as {@code bin/serval} starts it, so that the
 * tests see the framework, handler tracker, models, shell commands and model bundles put together
 * exactly as in the server: the bundles of {@code target/home/bundles}, its APIs on free loopback
 * ports, no model loaded at start, no snapshot, no keys. The model store is
 * {@code distribution/models}, whose folders are models.
 */
final class InFramework implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("itest.home", "target/home"));
    static final Path MODELS = Path.of(System.getProperty("serval.models", "../../distribution/models"));
    static final Path NATIVE_CACHE = Path.of(System.getProperty("serval.test.cache", "target/native-cache"));

    private final Serval serval;
    final Catalog catalog;
    final Deployments deployments;
    final ModelManager manager;

    private InFramework(Serval serval) {
        this.serval = serval;
        catalog = serval.catalog();
        deployments = serval.deployments();
        manager = serval.manager();
    }

    /** @param work a fresh folder for the configuration, framework cache and extracted models */
    static InFramework start(Path work) throws Exception {
        Path properties = Files.writeString(
                work.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:0",
                        "management_address=http://127.0.0.1:0",
                        "metrics_address=http://127.0.0.1:0",
                        "grpc_inference_port=0",
                        "grpc_management_port=0",
                        "model_store=" + MODELS.toAbsolutePath().normalize(),
                        ""));
        ServerConfig config = ServerConfig.defaults(HOME.toAbsolutePath())
                .properties(properties)
                .workDir(work)
                .deployDir(work.resolve("deploy"))
                .cacheDir(NATIVE_CACHE.toAbsolutePath())
                .snapshots(false)
                .tokenAuthorization(false)
                .build();
        return new InFramework(Serval.start(config));
    }

    BundleContext context() {
        return serval.context();
    }

    Bundle bundle(String symbolicName) {
        for (Bundle bundle : context().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle not installed: " + symbolicName);
    }

    /** @return the answer of the model's default version, or the exception it failed with */
    Response predict(String model, byte[] body) throws Exception {
        return catalog.resolve(model, Optional.empty())
                .submit(Request.builder(body).build())
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        serval.close();
    }
}
