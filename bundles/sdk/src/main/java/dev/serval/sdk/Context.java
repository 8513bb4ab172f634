package dev.serval.sdk;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a handler knows about the model it serves and the worker it runs on.
 *
 * <p>TorchServe's Python {@code context} in typed form: {@code manifest}, {@code model_dir},
 * {@code system_properties} and the model config are all here, plus the model already loaded by
 * the engine the archive asks for.
 */
@ProviderType
public interface Context {

    /** @return the name the model is served under, as in {@code /predictions/{name}} */
    String modelName();

    /** @return the version being served, as in {@code /predictions/{name}/{version}} */
    String modelVersion();

    /** @return the folder holding the archive's extracted files (read-only for handlers) */
    Path modelDir();

    /** @return the archive's {@code MAR-INF/MANIFEST.json} */
    Manifest manifest();

    /** @return the archive's {@code model-config.yaml}; empty when it has none */
    ModelConfig config();

    /**
     * TorchServe's system properties: {@code model_dir}, {@code batch_size}, {@code device},
     * {@code server_name}, {@code server_version}, {@code limit_max_image_pixels} (the most pixels an
     * image may have for handlers to decode it; {@code 0} for no limit).
     *
     * @return an unmodifiable map of the properties above
     */
    Map<String, String> systemProperties();

    /** @return the most requests the server puts into one batch */
    int batchSize();

    /** @return where the model runs, as DJL names devices: {@code cpu()} or {@code gpu(0)} */
    String device();

    /** @return the serialized model, loaded by the engine its file type or config selects */
    Model model();

    /**
     * The worker's own predictor; it is used only from this worker's thread.
     *
     * @return a predictor that passes tensors to the model and back unchanged
     */
    Predictor<NDList, NDList> predictor();
}
