package dev.serval.serving;

import ai.djl.Model;
import java.time.Duration;
import java.time.Instant;

/**
 * A model as loaded, before and independently of how it is served: its archive (extracted),
 * the engine's model with its weights (shared by every worker), and what the engine says of its
 * inputs and outputs. It does not change while it is served.
 *
 * @param archive the archive or folder it came from
 * @param model the engine's model
 * @param engine DJL's name of the engine running it
 * @param loadedAt when it finished loading
 * @param loadTime how long extracting the archive and loading the engine's model took
 * @param signature its inputs and outputs, as far as its engine describes them
 */
public record LoadedModel(
        ModelArchive archive, Model model, String engine, Instant loadedAt, Duration loadTime, Signature signature) {

    /** @return the name it is served under */
    public String name() {
        return archive.manifest().modelName();
    }

    /** @return the version string from the manifest */
    public String version() {
        return archive.manifest().modelVersion();
    }

    /** @return the handler name from the manifest */
    public String handlerName() {
        return archive.manifest().handler();
    }

    /** Closes the engine's model and removes the folder the archive was extracted into. */
    void unload() {
        model.close();
        archive.discard();
    }
}
