package dev.serval.handlers.hf;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.serval.handlers.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The archive's {@code tokenizer.json}, run by Hugging Face's tokenizers library (Rust, through
 * DJL): its normalizer, pre-tokenizer, model, post-processor and truncation, exactly as Python's
 * {@code tokenizers} runs them. Its padding is not used: a text is never padded on its own, and a
 * batch is padded by {@link dev.serval.handlers.text.TokenBatch}.
 */
final class HfTokenizer implements TextTokenizer {

    static final String FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @param modelDir the folder holding {@value #FILE}
     * @param maxLength the most tokens a text may have: the file's own truncation, if shorter, stays
     * @return the tokenizer; close it to free the native one
     * @throws IOException when the file is missing or is not a tokenizer
     */
    static HfTokenizer open(Path modelDir, int maxLength) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(HfSequenceClassifier.NAME + " needs " + FILE + " in the archive");
        }
        // DJL caps the file's truncation length at modelMaxLength, and uses modelMaxLength when the
        // file has none; "padding" false replaces the file's padding, here a fixed 64.
        HuggingFaceTokenizer.Builder builder =
                HuggingFaceTokenizer.builder(Map.of("modelMaxLength", maxLength, "padding", false));
        try {
            return new HfTokenizer(builder.optTokenizerPath(file).build());
        } catch (RuntimeException e) {
            throw new IOException("Cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long[] encode(String text) {
        return tokenizer.encode(text).getIds();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
