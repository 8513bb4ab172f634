package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import dev.serval.kernel.api.ModelDeployer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * serval-deployer in a plain Felix with ConfigAdmin and FileInstall, the kernel's deploy folder
 * set as the kernel sets it: given a {@link ModelDeployer} service, it starts FileInstall's
 * model watcher, which hands a model dropped in the folder to that service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployerIT {

    private static final Path DEPLOY =
            PlainFelix.BUNDLES.resolveSibling("deploy").toAbsolutePath();

    @Inject
    private BundleContext context;

    /** @return the kernel's exports, ConfigAdmin, FileInstall (its jar watcher on the deploy folder) and the bundle */
    @org.ops4j.pax.exam.Configuration
    public Option[] configuration() {
        return OptionUtils.combine(
                PlainFelix.kernelHost(
                        "org.apache.felix.configadmin", "org.apache.felix.fileinstall", "serval-deployer"),
                frameworkProperty("felix.fileinstall.dir").value(DEPLOY.toString()),
                frameworkProperty("felix.fileinstall.filter").value(".*\\.jar"),
                frameworkProperty("felix.fileinstall.tmpdir")
                        .value(DEPLOY.resolveSibling("fileinstall").toString()));
    }

    @Test
    public void watchesTheDeployFolderForTheKernelsDeployer() throws Exception {
        Bundle bundle = Inside.started(context, "dev.serval.deployer");
        Inside.assertFromKernel(bundle, "dev.serval.kernel.api");
        Inside.assertFrom(bundle, "org.apache.felix.fileinstall", "org.apache.felix.fileinstall");
        Files.createDirectories(DEPLOY);
        Path model = DEPLOY.resolve("model.mar");
        Files.deleteIfExists(model);

        BlockingQueue<Path> deployed = new LinkedBlockingQueue<>();
        ServiceRegistration<ModelDeployer> registration =
                context.registerService(ModelDeployer.class, new RecordingDeployer(deployed), watcherSettings());
        try {
            Inside.componentsUp(context, bundle, 3);
            ConfigurationAdmin configAdmin = Inside.service(context, ConfigurationAdmin.class, null);
            Configuration[] watchers =
                    configAdmin.listConfigurations("(service.factoryPid=org.apache.felix.fileinstall)");
            assertEquals(1, watchers.length);
            assertEquals(DEPLOY.toString(), watchers[0].getProperties().get("felix.fileinstall.dir"));

            Files.write(model, new byte[] {1});
            Path handed = deployed.poll(10, TimeUnit.SECONDS);
            assertTrue("the model watcher hands model.mar to the deployer", handed != null);
            assertEquals(model.getFileName(), handed.getFileName());
        } finally {
            registration.unregister();
            Files.deleteIfExists(model);
        }
        // Without the kernel's deployer the watcher goes, and with it its configuration.
        assertNull(Inside.service(context, ConfigurationAdmin.class, null)
                .listConfigurations("(service.factoryPid=org.apache.felix.fileinstall)"));
    }

    /** The kernel's model watcher settings, as its deployer service carries them, polling faster. */
    private static Dictionary<String, Object> watcherSettings() {
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("felix.fileinstall.dir", DEPLOY.toString());
        settings.put("felix.fileinstall.filter", ".*\\.mar");
        settings.put("felix.fileinstall.poll", "100");
        settings.put("felix.fileinstall.bundles.new.start", "false");
        settings.put(
                "felix.fileinstall.tmpdir",
                DEPLOY.resolveSibling("fileinstall-models").toString());
        return settings;
    }

    /** Takes every {@code .mar}; records what it is asked to deploy. */
    private record RecordingDeployer(BlockingQueue<Path> deployed) implements ModelDeployer {

        @Override
        public boolean canDeploy(Path artifact) {
            return artifact.getFileName().toString().endsWith(".mar");
        }

        @Override
        public void deploy(Path artifact) {
            deployed.add(artifact);
        }

        @Override
        public void redeploy(Path artifact) {}

        @Override
        public void undeploy(Path artifact) {}
    }
}
