package dev.serval.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
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

/**
 * A handler with its own predictor, as a server worker holds them, called directly. Used from one
 * thread only, like a worker.
 */
final class InProcessWorker implements Context, AutoCloseable {

    private final ModelArchive archive;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final Handler handler;
    private final int batchSize;

    private InProcessWorker(ModelArchive archive, Model model, Handler handler, int batchSize) {
        this.archive = archive;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.handler = handler;
        this.batchSize = batchSize;
    }

    static InProcessWorker start(ModelArchive archive, Model model, Handler handler, int batchSize) throws Exception {
        InProcessWorker worker = new InProcessWorker(archive, model, handler, batchSize);
        try {
            handler.initialize(worker);
            return worker;
        } catch (Exception | Error e) {
            worker.predictor.close();
            throw e;
        }
    }

    /**
     * @param batch the requests of one handler call
     * @return the handler's answers
     * @throws Exception when the handler fails
     */
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
        return Map.of("model_dir", archive.dir().toString(), "batch_size", String.valueOf(batchSize));
    }

    @Override
    public int batchSize() {
        return batchSize;
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
        try {
            handler.close();
        } finally {
            predictor.close();
        }
    }
}
