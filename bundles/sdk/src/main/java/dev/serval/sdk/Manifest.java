package dev.serval.sdk;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The {@code model} section of a TorchServe archive's {@code MAR-INF/MANIFEST.json}. */
@ProviderType
public interface Manifest {

    /** @return {@code model.modelName} */
    String modelName();

    /** @return {@code model.modelVersion}; {@code "1.0"} when the manifest has none */
    String modelVersion();

    /** @return {@code model.serializedFile}, relative to the model folder */
    String serializedFile();

    /** @return {@code model.handler}: the name of the handler serving the model */
    String handler();

    /** @return {@code model.configFile}, the model config's file name, when the archive has one */
    Optional<String> configFile();

    /** @return the top-level {@code runtime} field ({@code "python"} in TorchServe archives) */
    Optional<String> runtime();
}
