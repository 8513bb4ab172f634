package dev.serval.handlers.image;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.serval.kernel.engine.EngineModels;
import dev.serval.kernel.engine.Engines;
import dev.serval.kernel.model.ModelArchive;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A reference model loaded by the kernel's engines, with a handler initialized on it as a worker
 * would: the handler-level tests run real inference without HTTP.
 */
final class LoadedModel implements Context, AutoCloseable {

    static final Path MODELS = Path.of(System.getProperty("serval.models", "../distribution/models"));

    private final ModelArchive archive;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final Map<String, String> systemProperties;
    private final Handler handler;

    private LoadedModel(ModelArchive archive, Model model, Map<String, String> systemProperties, Handler handler)
            throws Exception {
        this.archive = archive;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.systemProperties = systemProperties;
        this.handler = handler;
        handler.initialize(this);
    }

    /**
     * @param name a folder of {@link #MODELS}
     * @param serializedFile the model file in it to load (its manifest may name another)
     * @param handler an uninitialized handler
     * @param systemProperties the context's system properties
     */
    static LoadedModel load(String name, String serializedFile, Handler handler, Map<String, String> systemProperties)
            throws Exception {
        Engines.initialize(Path.of(System.getProperty("serval.test.cache", "../target/native-cache")));
        Path dir = MODELS.resolve(name);
        // A folder is read in place: nothing is extracted.
        ModelArchive archive = ModelArchive.open(dir, dir);
        Path file = dir.resolve(serializedFile);
        Model model = EngineModels.load(name, file, EngineModels.engineFor(file, Optional.empty()));
        return new LoadedModel(archive, model, systemProperties, handler);
    }

    static LoadedModel load(String name, String serializedFile, Handler handler) throws Exception {
        return load(name, serializedFile, handler, Map.of());
    }

    /** @return the handler's answers to one batch */
    List<Response> handle(List<Request> batch) throws Exception {
        return handler.handle(batch, this);
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
        return 8;
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

    @Override
    public void close() {
        handler.close();
        predictor.close();
        model.close();
    }
}
