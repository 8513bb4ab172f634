package dev.serval.handlers.image;

import java.nio.file.Path;

/** Where the reference models and their inputs are: {@code distribution/models}. */
final class ReferenceModels {

    static final Path DIR = Path.of(System.getProperty("serval.models", "../distribution/models"));

    private ReferenceModels() {}
}
