package dev.serval.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serval.kernel.api.ModelDeployer;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class ModelWatcherTest {

    /** What was asked of ConfigAdmin and of the configuration it gave, in order. */
    private final List<String> calls = new ArrayList<>();

    private Dictionary<?, ?> updated;

    private final Configuration configuration = (Configuration) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                calls.add(method.getName());
                if (method.getName().equals("update")) {
                    updated = (Dictionary<?, ?>) args[0];
                }
                return null;
            });

    private final ConfigurationAdmin configAdmin = (ConfigurationAdmin) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                calls.add(method.getName() + Arrays.toString(args));
                return configuration;
            });

    @SuppressWarnings("unchecked")
    private static ServiceReference<ModelDeployer> deployer(Map<String, Object> properties) {
        return (ServiceReference<ModelDeployer>) Proxy.newProxyInstance(
                ModelWatcherTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPropertyKeys" -> properties.keySet().toArray(String[]::new);
                    case "getProperty" -> properties.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void startsAWatcherWithTheDeployersFileInstallSettingsAndStopsItWhenTheDeployerGoes() throws Exception {
        ModelWatcher watcher = new ModelWatcher(
                configAdmin,
                deployer(Map.of(
                        "felix.fileinstall.dir",
                        "/srv/deploy",
                        "felix.fileinstall.filter",
                        "models",
                        "objectClass",
                        new String[] {ModelDeployer.class.getName()},
                        "service.id",
                        7L)));

        assertEquals(
                List.of("getFactoryConfiguration[org.apache.felix.fileinstall, models, null]", "update"),
                calls,
                "a FileInstall watcher of its own, not bound to this bundle, so FileInstall gets it");
        assertEquals(
                new Hashtable<>(Map.of("felix.fileinstall.dir", "/srv/deploy", "felix.fileinstall.filter", "models")),
                updated,
                "only FileInstall's settings");

        watcher.stop();
        assertEquals("delete", calls.get(calls.size() - 1), calls.toString());
    }
}
