package dev.serval.kernel.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.serval.sdk.Context;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import java.nio.file.Path;
import java.util.Map;

/** The {@link Context} of one worker: its model version and its own predictor. */
final class WorkerContext implements Context {

    private final ModelVersion version;
    private final Predictor<NDList, NDList> predictor;
    private final Map<String, String> systemProperties;

    WorkerContext(ModelVersion version, Predictor<NDList, NDList> predictor) {
        this.version = version;
        this.predictor = predictor;
        this.systemProperties = Map.of(
                "model_dir", version.archive().dir().toString(),
                "batch_size", String.valueOf(batchSize()),
                "device", device(),
                "server_name", "Serval",
                "server_version", ModelVersion.SERVER_VERSION,
                "limit_max_image_pixels", String.valueOf(version.settings().maxImagePixels()));
    }

    @Override
    public String modelName() {
        return version.name();
    }

    @Override
    public String modelVersion() {
        return version.version();
    }

    @Override
    public Path modelDir() {
        return version.archive().dir();
    }

    @Override
    public Manifest manifest() {
        return version.archive().manifest();
    }

    @Override
    public ModelConfig config() {
        return version.archive().config();
    }

    @Override
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    @Override
    public int batchSize() {
        return version.settings().batchSize();
    }

    @Override
    public String device() {
        return version.model().getNDManager().getDevice().toString();
    }

    @Override
    public Model model() {
        return version.model();
    }

    @Override
    public Predictor<NDList, NDList> predictor() {
        return predictor;
    }
}
