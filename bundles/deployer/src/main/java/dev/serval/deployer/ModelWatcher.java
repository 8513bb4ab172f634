package dev.serval.deployer;

import dev.serval.kernel.api.ModelDeployer;
import java.io.IOException;
import java.util.Hashtable;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gives the deploy folder a FileInstall watcher of its own for models, while the kernel's
 * {@link ModelDeployer} is there: a configuration of FileInstall's factory PID, which FileInstall
 * runs as one more watcher thread, beside the one that installs and starts bundle jars.
 *
 * <p>The kernel cannot make it itself: {@code org.osgi.service.cm} comes from the ConfigAdmin
 * bundle, which the system bundle cannot import. The watcher's settings are the deployer
 * service's {@code felix.fileinstall.*} properties, so they are set where the jar watcher's are.
 */
@Component(immediate = true)
public class ModelWatcher {

    /** FileInstall's factory PID: one watcher per configuration. */
    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    /** What FileInstall's settings start with. */
    private static final String SETTINGS = "felix.fileinstall.";

    private final Configuration watcher;

    /**
     * Starts the watcher.
     *
     * @param configAdmin where FileInstall's watchers are configured
     * @param deployer the kernel's deployer service, with the watcher's settings
     * @throws IOException when ConfigAdmin cannot store the configuration
     */
    @Activate
    public ModelWatcher(@Reference ConfigurationAdmin configAdmin, @Reference ServiceReference<ModelDeployer> deployer)
            throws IOException {
        Hashtable<String, Object> settings = new Hashtable<>();
        for (String key : deployer.getPropertyKeys()) {
            if (key.startsWith(SETTINGS)) {
                settings.put(key, deployer.getProperty(key));
            }
        }
        // Not bound to this bundle's location: the configuration is FileInstall's.
        watcher = configAdmin.getFactoryConfiguration(FILEINSTALL, "models", null);
        watcher.update(settings);
    }

    /** Stops the watcher: FileInstall closes it when its configuration goes. */
    @Deactivate
    void stop() throws IOException {
        watcher.delete();
    }
}
