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
    private final ServingSettings defaults;

    /**
     * @param extractRoot where archives are extracted
     * @param defaults how models are served unless their config says otherwise
     */
    public ModelLoader(Path extractRoot, ServingSettings defaults) {
        this.extractRoot = extractRoot;
        this.defaults = defaults;
    }

    /**
     * @param artifact a {@code .mar}, {@code .zip} or model folder
     * @param name the name to serve it under, or empty for the manifest's
     * @return the loaded model version, not yet registered
     * @throws ModelLoadException when the artifact cannot be served, saying why
     */
    public ModelVersion load(Path artifact, Optional<String> name) throws ModelLoadException {
        ModelArchive archive = ModelArchive.open(artifact, extractRoot);
        return load(name.isPresent() ? archive.withName(name.get()) : archive);
    }

    /**
     * Loads an archive already opened, as the SDK test kit does after choosing its model file.
     *
     * @param archive the opened archive; its extracted folder is removed if loading fails
     * @return the loaded model version, not yet registered
     * @throws ModelLoadException when the model cannot be served, saying why
     */
    public ModelVersion load(ModelArchive archive) throws ModelLoadException {
        long start = System.nanoTime();
        try {
            ServingSettings settings = defaults.overriddenBy(archive.config().asMap());
            Path file = archive.dir().resolve(archive.manifest().serializedFile());
            Optional<String> configured = Optional.ofNullable(archive.config().asMap().get("engine")).map(Object::toString);
            String engine = EngineModels.engineFor(file, configured);
            Model model = EngineModels.load(archive.manifest().modelName(), file, engine);
            LOG.info("Loaded model {} version {} from {} with {} in {} ms", archive.manifest().modelName(),
                    archive.manifest().modelVersion(), archive.source().getFileName(), engine,
                    (System.nanoTime() - start) / 1_000_000);
            return new ModelVersion(archive, model, engine, settings);
        } catch (Exception | LinkageError e) {
            archive.discard();
            throw new ModelLoadException("Cannot load " + archive.manifest().serializedFile() + ": " + e.getMessage(), e);
        }
    }
}
