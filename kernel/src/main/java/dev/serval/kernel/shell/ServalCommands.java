package dev.serval.kernel.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.catalog.Source;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Model management in the Felix Gogo shell, beside Felix's own {@code lb}, {@code update} and the
 * rest: {@code serval:list}, {@code serval:describe}, {@code serval:register},
 * {@code serval:unregister}, {@code serval:scale} and {@code serval:default}. Each does what the
 * management API's call of the same purpose does, through the same {@link ModelManager}.
 *
 * <p>Gogo finds the commands through the service properties of {@link #properties()} and calls
 * the public methods by name; Gogo looks a Java keyword such as {@code default} up with a leading
 * underscore, hence {@link #_default}.
 */
public final class ServalCommands {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ModelManager manager;

    /** @param manager the models to manage */
    public ServalCommands(ModelManager manager) {
        this.manager = manager;
    }

    /** @return the service properties that make Gogo offer the commands */
    public static Map<String, Object> properties() {
        return Map.of("osgi.command.scope", "serval",
                "osgi.command.function", new String[] {"list", "describe", "register", "unregister", "scale", "default"});
    }

    /**
     * @return one line per model: name, default version, status, ready workers, and what went
     *     wrong with it, if anything
     */
    public String list() {
        return manager.list(100, 0).models().stream()
                .map(v -> String.format("%-24s %-8s %-20s %d/%d workers", v.name(), v.version(), v.status(),
                        v.readyWorkers(), v.settings().minWorkers())
                        + manager.failure(v).map(reason -> "\n    failure: " + reason).orElse(""))
                .collect(Collectors.joining("\n"));
    }

    /**
     * @param name a model name
     * @return the default version's description, as JSON
     */
    public String describe(String name) throws JsonProcessingException {
        return describe(name, null);
    }

    /**
     * @param name a model name
     * @param version a version or {@code all}
     * @return the description, as JSON
     */
    public String describe(String name, String version) throws JsonProcessingException {
        return JSON.writeValueAsString(manager.describe(name, Optional.ofNullable(version)).stream()
                .map(manager::description).toList());
    }

    /**
     * @param url an archive or folder in the model store
     * @return what was registered
     */
    public String register(String url) {
        ModelVersion version = manager.register(url, LoadOptions.NONE, Source.Kind.REGISTER_CALL);
        return "Model \"" + version.name() + "\" Version: " + version.version() + " registered with "
                + version.settings().minWorkers() + " initial workers";
    }

    /**
     * @param name a model name; its default version is removed
     * @return what was removed
     */
    public String unregister(String name) {
        return unregister(name, null);
    }

    /**
     * @param name a model name
     * @param version the version to remove
     * @return what was removed
     */
    public String unregister(String name, String version) {
        ModelVersion removed = manager.unregister(name, Optional.ofNullable(version));
        return "Model \"" + removed.name() + "\" version " + removed.version() + " unregistered";
    }

    /**
     * @param name a model name; its default version is scaled
     * @param workers workers to run
     * @return what was done
     */
    public String scale(String name, int workers) {
        ModelVersion scaled = manager.scale(name, Optional.empty(), workers, workers);
        return "Workers scaled to " + workers + " for model: " + scaled.name() + ", version: " + scaled.version();
    }

    /**
     * The {@code serval:default} command.
     *
     * @param name a model name
     * @param version the version to answer requests that name none
     * @return what was done
     */
    public String _default(String name, String version) {
        manager.setDefault(name, version);
        return "Default version of " + name + " is now " + version;
    }
}
