package dev.serval.serving;

import ai.djl.Model;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a model artifact into a loaded {@link ModelVersion}: extract, read, load the engine. */
public final class ModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    private final Path extractRoot;
    private final ServingSettings defaults;
    private final Map<String, Map<String, Map<String, Object>>> entries;
    private final Deadlines deadlines;

    /**
     * @param extractRoot where archives are extracted
     * @param defaults how models are served unless something else says otherwise
     * @param entries {@code config.properties}' per model name and version settings
     * @param deadlines the timer of the versions it loads, which the caller closes after them
     */
    public ModelLoader(
            Path extractRoot,
            ServingSettings defaults,
            Map<String, Map<String, Map<String, Object>>> entries,
            Deadlines deadlines) {
        this.extractRoot = extractRoot;
        this.defaults = defaults;
        this.entries = entries;
        this.deadlines = deadlines;
    }

    /**
     * @param artifact a {@code .mar}, {@code .zip} or model folder
     * @param options what the caller overrides: name, handler, serving settings
     * @return the loaded model version, not yet registered
     * @throws ModelLoadException when the artifact cannot be served or the name given is not a
     *     valid model name, saying why
     */
    public ModelVersion load(Path artifact, LoadOptions options) throws ModelLoadException {
        // Checked before the archive is extracted: a bad name costs nothing.
        if (options.name().filter(name -> !ModelNames.isValid(name)).isPresent()) {
            throw new ModelLoadException("Invalid model name: " + ModelNames.RULE);
        }
        ModelArchive opened = ModelArchive.open(artifact, extractRoot);
        ModelArchive archive = options.name().map(opened::withName).orElse(opened);
        return load(options.handler().map(archive::withHandler).orElse(archive), options.settings());
    }

    /**
     * Loads an archive already opened, as the SDK test kit does after choosing its model file.
     *
     * @param archive the opened archive; its extracted folder is removed if loading fails
     * @return the loaded model version, not yet registered
     * @throws ModelLoadException when the model cannot be served, saying why
     */
    public ModelVersion load(ModelArchive archive) throws ModelLoadException {
        return load(archive, Map.of());
    }

    private ModelVersion load(ModelArchive archive, Map<String, Object> overrides) throws ModelLoadException {
        long start = System.nanoTime();
        try {
            // After the caller's handler override: an archive whose Python handler a register call replaces serves.
            archive = PythonArchives.servable(archive);
        } catch (ModelLoadException e) {
            archive.discard();
            throw e;
        }
        try {
            // Precedence as TorchServe's: register call, model-config.yaml, config.properties' models, defaults.
            ServingSettings settings = defaults.overriddenBy(
                            entries.getOrDefault(archive.manifest().modelName(), Map.of())
                                    .getOrDefault(archive.manifest().modelVersion(), Map.of()))
                    .overriddenBy(archive.config().asMap())
                    .overriddenBy(overrides);
            Path file = archive.dir().resolve(archive.manifest().serializedFile());
            Optional<String> configured =
                    Optional.ofNullable(archive.config().asMap().get("engine")).map(Object::toString);
            String engine = EngineModels.engineFor(file, configured);
            Model model = EngineModels.load(archive.manifest().modelName(), file, engine);
            Signature signature;
            try {
                signature = Signature.of(model, archive.config().asMap());
            } catch (IllegalArgumentException e) {
                model.close();
                throw e;
            }
            Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
            LOG.info(
                    "Loaded model {} version {} from {} with {} in {} ms",
                    archive.manifest().modelName(),
                    archive.manifest().modelVersion(),
                    archive.source().getFileName(),
                    engine,
                    loadTime.toMillis());
            return new ModelVersion(
                    new LoadedModel(archive, model, engine, Instant.now(), loadTime, signature), settings, deadlines);
        } catch (Exception | LinkageError e) {
            archive.discard();
            throw new ModelLoadException(
                    "Cannot load " + archive.manifest().serializedFile() + ": " + e.getMessage(), e);
        }
    }
}
