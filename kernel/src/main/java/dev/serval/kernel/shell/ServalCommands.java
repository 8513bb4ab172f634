package dev.serval.kernel.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.catalog.Source;
import dev.serval.kernel.manage.ModelManager;
import dev.serval.serving.LoadOptions;
import dev.serval.serving.ModelVersion;
import java.util.List;
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
 * underscore, hence {@link #_default}. Each takes its words as one array and checks them against
 * its {@link Usage}: with typed overloads, a missing argument got Gogo's "Cannot coerce
 * scale(String) to any of [(String, int)]" instead of the command's usage.
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
        return Map.of("osgi.command.scope", "serval", "osgi.command.function", new String[] {
            "list", "describe", "register", "unregister", "scale", "default"
        });
    }

    /**
     * @return one line per model: name, default version, status, ready workers, and what went
     *     wrong with it, if anything
     */
    public String list() {
        return manager.list(100, 0).models().stream()
                .map(v -> String.format(
                                "%-24s %-8s %-20s %d/%d workers",
                                v.name(),
                                v.version(),
                                v.status(),
                                v.readyWorkers(),
                                v.settings().minWorkers())
                        + manager.failure(v)
                                .map(reason -> "\n    failure: " + reason)
                                .orElse(""))
                .collect(Collectors.joining("\n"));
    }

    /**
     * {@code serval:describe NAME [VERSION|all]}.
     *
     * @param args the model's name, and a version or {@code all}
     * @return the description, as JSON
     * @throws JsonProcessingException never: the description is plain maps and lists
     */
    public String describe(String... args) throws JsonProcessingException {
        List<String> words = Usage.DESCRIBE.check(args);
        return JSON.writeValueAsString(manager.describe(words.get(0), optional(words, 1)).stream()
                .map(manager::description)
                .toList());
    }

    /**
     * {@code serval:register URL}: answers once the workers are up, as the management API's
     * synchronous register (its default) does, so that a prediction right after it is served.
     *
     * @param args an archive or folder in the model store
     * @return what was registered
     * @throws InterruptedException when the command is interrupted while the workers start
     */
    public String register(String... args) throws InterruptedException {
        ModelVersion version =
                manager.register(Usage.REGISTER.check(args).get(0), LoadOptions.NONE, Source.Kind.REGISTER_CALL);
        if (version.settings().minWorkers() > 0) {
            manager.awaitRegistered(version);
        }
        return "Model \"" + version.name() + "\" Version: " + version.version() + " registered with "
                + version.settings().minWorkers() + " initial workers";
    }

    /**
     * {@code serval:unregister NAME [VERSION]}.
     *
     * @param args the model's name, and the version to remove (by default its default version)
     * @return what was removed
     */
    public String unregister(String... args) {
        List<String> words = Usage.UNREGISTER.check(args);
        ModelVersion removed = manager.unregister(words.get(0), optional(words, 1));
        return "Model \"" + removed.name() + "\" version " + removed.version() + " unregistered";
    }

    /**
     * {@code serval:scale NAME WORKERS}: the model's default version.
     *
     * @param args the model's name and the workers to run
     * @return what was done
     */
    public String scale(String... args) {
        List<String> words = Usage.SCALE.check(args);
        int workers = Usage.SCALE.number(words.get(1), "WORKERS");
        ModelVersion scaled = manager.scale(words.get(0), Optional.empty(), workers, workers);
        return "Workers scaled to " + workers + " for model: " + scaled.name() + ", version: " + scaled.version();
    }

    /**
     * The {@code serval:default NAME VERSION} command.
     *
     * @param args the model's name and the version to answer requests that name none
     * @return what was done
     */
    public String _default(String... args) {
        List<String> words = Usage.DEFAULT.check(args);
        manager.setDefault(words.get(0), words.get(1));
        return "Default version of " + words.get(0) + " is now " + words.get(1);
    }

    private static Optional<String> optional(List<String> words, int index) {
        return index < words.size() ? Optional.of(words.get(index)) : Optional.empty();
    }
}
