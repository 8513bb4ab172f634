package dev.serval.handlers.text;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import dev.serval.sdk.Context;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * A handler's {@link Context} without a server: the reference model loaded by the engine its file
 * asks for, set up as the kernel sets DJL up (offline, natives in the shared test cache).
 */
public final class ModelContext implements Context, AutoCloseable {

    static {
        Path cache = Path.of(System.getProperty("serval.test.cache", "../target/native-cache"));
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", cache.resolve("djl").toAbsolutePath().toString());
        System.setProperty("ai.djl.onnx.disable_alternative", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private final Path dir;
    private final ModelConfig config;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;

    private ModelContext(Path dir, ModelConfig config, Model model) {
        this.dir = dir;
        this.config = config;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * @param dir the model folder
     * @param file {@code .pt} (PyTorch) or {@code .onnx} (ONNX Runtime)
     * @param handlerConfig the model config's {@code handler:} section
     * @return the loaded model and its predictor
     */
    public static ModelContext load(Path dir, String file, Map<String, Object> handlerConfig) throws Exception {
        String prefix = file.substring(0, file.lastIndexOf('.'));
        Model model = Model.newInstance(prefix, file.endsWith(".onnx") ? "OnnxRuntime" : "PyTorch");
        model.load(dir, prefix);
        return new ModelContext(dir, ModelConfig.of(Map.of("handler", handlerConfig)), model);
    }

    @Override
    public String modelName() {
        return model.getName();
    }

    @Override
    public String modelVersion() {
        return "1.0";
    }

    @Override
    public Path modelDir() {
        return dir;
    }

    @Override
    public Manifest manifest() {
        throw new UnsupportedOperationException("the text handlers do not read the manifest");
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Map<String, String> systemProperties() {
        return Map.of("model_dir", dir.toString());
    }

    @Override
    public int batchSize() {
        return 32;
    }

    @Override
    public String device() {
        return "cpu()";
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
        predictor.close();
        model.close();
    }
}
