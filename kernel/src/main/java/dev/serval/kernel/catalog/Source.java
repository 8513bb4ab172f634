package dev.serval.kernel.catalog;

import dev.serval.serving.LoadOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a served model version came from, which decides what may serve beside it and what may
 * replace it, and whether it is written to the snapshot.
 *
 * @param kind the way it arrived
 * @param origin what it arrived from: the model store url, the deploy-folder file, the model
 *     bundle's symbolic name
 * @param options what a register call (or the snapshot) overrode in the archive
 */
public record Source(Kind kind, String origin, LoadOptions options) {

    /** The ways a model version arrives. */
    public enum Kind {
        /** {@code load_models} at start: from the model store. */
        MODEL_STORE,
        /** Restored from the snapshot at start. */
        SNAPSHOT,
        /** A register call of the management API or the shell. */
        REGISTER_CALL,
        /** A file or folder of the deploy folder. */
        DEPLOY_FOLDER,
        /** A model bundle ({@code Serval-Model} header). */
        MODEL_BUNDLE;

        boolean ownsName() {
            return this == DEPLOY_FOLDER || this == MODEL_BUNDLE;
        }
    }

    /**
     * @param kind the way it arrived
     * @param origin what it arrived from
     * @param options what a register call (or the snapshot) overrode in the archive
     * @throws NullPointerException when one of them is null
     */
    public Source {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(options, "options");
    }

    /**
     * @param url the model store entry or URL
     * @param options the register call's overrides
     * @param kind {@link Kind#MODEL_STORE}, {@link Kind#SNAPSHOT} or {@link Kind#REGISTER_CALL}
     * @return the source of a model registered through the management front
     */
    public static Source registered(String url, LoadOptions options, Kind kind) {
        if (kind.ownsName()) {
            throw new IllegalArgumentException(kind + " is not a way of registering");
        }
        return new Source(kind, url, options);
    }

    /**
     * @param file a file or folder of the deploy folder
     * @return its source, whatever the path's spelling
     */
    public static Source deployFolder(Path file) {
        return new Source(Kind.DEPLOY_FOLDER, file.toAbsolutePath().normalize().toString(), LoadOptions.NONE);
    }

    /**
     * @param symbolicName the model bundle's symbolic name
     * @return its source, the same for each of its revisions
     */
    public static Source modelBundle(String symbolicName) {
        return new Source(Kind.MODEL_BUNDLE, symbolicName, LoadOptions.NONE);
    }

    /**
     * @return whether the source owns its model's name whole, as a deploy-folder file or a model
     *     bundle does: nothing else may serve a version of that name beside it, and its new
     *     content replaces what it served before
     */
    public boolean ownsName() {
        return kind.ownsName();
    }

    /** @return whether the server loaded it as part of its start, which {@code /ping} waits for */
    public boolean atStartup() {
        return kind == Kind.MODEL_STORE || kind == Kind.SNAPSHOT;
    }

    /** @return whether the snapshot records it: what the deploy folder and bundles bring back by themselves is not */
    public boolean inSnapshot() {
        return !ownsName();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case MODEL_STORE -> "the model store (" + origin + ")";
            case SNAPSHOT -> "the snapshot (" + origin + ")";
            case REGISTER_CALL -> "a register call (" + origin + ")";
            case DEPLOY_FOLDER -> origin;
            case MODEL_BUNDLE -> "model bundle " + origin;
        };
    }
}
