package dev.serval.bench;

import ai.djl.Model;
import dev.serval.kernel.engine.EngineModels;
import dev.serval.kernel.model.ModelArchive;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A workload's model loaded in this JVM as the server loads it (the kernel's archive reader and
 * engine loader), without HTTP, OSGi or queues: the limit the server is measured against.
 */
final class InProcessModel implements AutoCloseable {

    private final Workload workload;
    private final ModelArchive archive;
    private final Model model;

    private InProcessModel(Workload workload, ModelArchive archive, Model model) {
        this.workload = workload;
        this.archive = archive;
        this.model = model;
    }

    /**
     * @param workload the model to load; {@code Engines} must be initialized
     * @return the loaded model
     * @throws Exception when it cannot be loaded
     */
    static InProcessModel load(Workload workload) throws Exception {
        // A folder is read in place, as the kernel reads a model folder: nothing is extracted.
        ModelArchive archive = ModelArchive.open(workload.folder(), workload.folder());
        Path file = workload.folder().resolve(workload.serializedFile());
        return new InProcessModel(workload, archive,
                EngineModels.load(workload.name(), file, EngineModels.engineFor(file, Optional.empty())));
    }

    /**
     * @param batchSize the most requests the worker's handler will be given at once
     * @return a worker as the server makes one: its own predictor and handler, on the shared weights
     * @throws Exception when the handler fails to initialize
     */
    InProcessWorker newWorker(int batchSize) throws Exception {
        return InProcessWorker.start(archive, model, workload.handler().get(), batchSize);
    }

    @Override
    public void close() {
        model.close();
    }
}
