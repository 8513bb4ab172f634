package dev.serval.serving;

import java.util.Map;
import java.util.Optional;

/**
 * What a register call may say about a model besides its archive, overriding the archive.
 *
 * @param name the name to serve it under instead of the manifest's
 * @param handler the handler to run instead of the manifest's
 * @param settings TorchServe's serving keys ({@code minWorkers}, {@code batchSize},
 *     {@code maxBatchDelay}, {@code responseTimeout}) and Serval's {@code batchPolicy}, over the
 *     archive's {@code model-config.yaml}
 */
public record LoadOptions(Optional<String> name, Optional<String> handler, Map<String, Object> settings) {

    /** The archive as it is. */
    public static final LoadOptions NONE = new LoadOptions(Optional.empty(), Optional.empty(), Map.of());

    /**
     * @param name the name to serve it under instead of the manifest's
     * @param handler the handler to run instead of the manifest's
     * @param settings TorchServe's serving keys, copied
     */
    public LoadOptions {
        settings = Map.copyOf(settings);
    }

    /**
     * @param name the name to serve the model under, or empty for the manifest's
     * @return options that only rename
     */
    public static LoadOptions named(Optional<String> name) {
        return new LoadOptions(name, Optional.empty(), Map.of());
    }
}
