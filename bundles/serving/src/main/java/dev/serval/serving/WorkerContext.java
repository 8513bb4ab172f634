package dev.serval.serving;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.serval.sdk.Context;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@link Context} of one worker: its model and its own predictor.
 *
 * <p>Public so that the SDK test kit hands handlers the very context the server does.
 */
public final class WorkerContext implements Context {

    private final ModelArchive archive;
    private final ServingSettings settings;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final Map<String, String> systemProperties;

    /**
     * @param archive the model's files, manifest and config
     * @param settings how the model is served
     * @param model the loaded model, shared by the workers
     * @param predictor this worker's own predictor
     */
    public WorkerContext(
            ModelArchive archive, ServingSettings settings, Model model, Predictor<NDList, NDList> predictor) {
        this.archive = archive;
        this.settings = settings;
        this.model = model;
        this.predictor = predictor;
        this.systemProperties = Map.of(
                "model_dir", archive.dir().toString(),
                "batch_size", String.valueOf(batchSize()),
                "device", device(),
                "server_name", "Serval",
                "server_version", ServerVersion.CURRENT,
                "limit_max_image_pixels", String.valueOf(settings.maxImagePixels()));
    }

    @Override
    public String modelName() {
        return archive.manifest().modelName();
    }

    @Override
    public String modelVersion() {
        return archive.manifest().modelVersion();
    }

    @Override
    public Path modelDir() {
        return archive.dir();
    }

    @Override
    public Manifest manifest() {
        return archive.manifest();
    }

    @Override
    public ModelConfig config() {
        return archive.config();
    }

    @Override
    public Map<String, String> systemProperties() {
        return systemProperties;
    }

    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    @Override
    public Model model() {
        return model;
    }

    @Override
    public Predictor<NDList, NDList> predictor() {
        return predictor;
    }
}
