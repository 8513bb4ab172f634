package dev.serval.kernel.model;

import ai.djl.Model;
import dev.serval.kernel.engine.EngineModels;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a model artifact into a loaded {@link ModelVersion}: extract, read, load the engine. */
public final class ModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private final Path extractRoot;

    /** @param extractRoot where archives are extracted */
    public ModelLoader(Path extractRoot) {
        this.extractRoot = extractRoot;
    }

    /**
     * @param artifact a {@code .mar}, {@code .zip} or model folder
     * @param name the name to serve it under, or empty for the manifest's
     * @return the loaded model version, not yet registered
     * @throws ModelLoadException when the artifact cannot be served, saying why
     */
    public ModelVersion load(Path artifact, Optional<String> name) throws ModelLoadException {
        long start = System.nanoTime();
        ModelArchive archive = ModelArchive.open(artifact, extractRoot);
        if (name.isPresent()) {
            archive = archive.withName(name.get());
        }
        try {
            Path file = archive.dir().resolve(archive.manifest().serializedFile());
            Optional<String> configured = Optional.ofNullable(archive.config().asMap().get("engine")).map(Object::toString);
            String engine = EngineModels.engineFor(file, configured);
            Model model = EngineModels.load(archive.manifest().modelName(), file, engine);
            int workers = workerCount(archive);
            LOG.info("Loaded model {} version {} from {} with {} in {} ms", archive.manifest().modelName(),
                    archive.manifest().modelVersion(), artifact.getFileName(), engine,
                    (System.nanoTime() - start) / 1_000_000);
            return new ModelVersion(archive, model, engine, workers);
        } catch (Exception | LinkageError e) {
            archive.discard();
            throw new ModelLoadException("Cannot load " + archive.manifest().serializedFile() + ": " + e.getMessage(), e);
        }
    }

    private static int workerCount(ModelArchive archive) {
        Object value = archive.config().asMap().get("minWorkers");
        int count = value instanceof Number n ? n.intValue() : 1;
        return Math.max(1, count);
    }
}
