package dev.serval.handlers.text;

import java.nio.file.Path;

/** The reference DistilBERT's folder, as {@code save_pretrained} left it. */
public final class ReferenceFiles {

    /** {@code distribution/models/reviews_distilbert}. */
    public static final Path DIR = Path.of(System.getProperty("serval.models", "../distribution/models"))
            .resolve("reviews_distilbert");

    private ReferenceFiles() {}
}
