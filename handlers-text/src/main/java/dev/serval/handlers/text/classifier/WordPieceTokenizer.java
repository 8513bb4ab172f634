package dev.serval.handlers.text.classifier;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.Vocabulary;
import ai.djl.modality.nlp.bert.BertFullTokenizer;
import ai.djl.modality.nlp.bert.WordpieceTokenizer;
import ai.djl.modality.nlp.preprocess.TextProcessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.handlers.text.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * BERT's tokenizer from {@code vocab.txt}, on DJL's classes: BERT's text cleaning and punctuation
 * split, then WordPiece. Adds no special tokens, as TorchServe's {@code text_classifier} adds none.
 *
 * <p>From {@code tokenizer_config.json}: {@code do_lower_case} (default true, as in Transformers'
 * {@code BertTokenizer}) and {@code unk_token} (default {@code [UNK]}).
 */
final class WordPieceTokenizer implements TextTokenizer {

    static final String VOCAB = "vocab.txt";
    static final String CONFIG = "tokenizer_config.json";

    /** Transformers' WordPiece limit: a longer word is one unknown token. */
    private static final int MAX_WORD_CHARS = 100;

    private final List<TextProcessor> cleaning;
    private final WordpieceTokenizer wordPiece;
    private final Vocabulary vocabulary;
    private final int maxLength;

    private WordPieceTokenizer(
            List<TextProcessor> cleaning, WordpieceTokenizer wordPiece, Vocabulary vocabulary, int maxLength) {
        this.cleaning = cleaning;
        this.wordPiece = wordPiece;
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
    }

    /**
     * @param modelDir the folder holding {@value #VOCAB} and, optionally, {@value #CONFIG}
     * @param maxLength the most tokens a text is cut to
     * @return the tokenizer
     * @throws IOException when {@value #VOCAB} is missing or a file cannot be read
     */
    static WordPieceTokenizer open(Path modelDir, int maxLength) throws IOException {
        Path vocabFile = modelDir.resolve(VOCAB);
        if (!Files.isRegularFile(vocabFile)) {
            throw new IOException("text_classifier needs " + VOCAB + " (or a tokenizer.json) in the archive");
        }
        Path configFile = modelDir.resolve(CONFIG);
        JsonNode config = Files.isRegularFile(configFile)
                ? new ObjectMapper().readTree(configFile.toFile())
                : new ObjectMapper().createObjectNode();
        // Indices are line numbers: no unknown token is declared, since DefaultVocabulary would
        // put a declared one first and shift every other index.
        Vocabulary vocabulary =
                DefaultVocabulary.builder().addFromTextFile(vocabFile).build();
        // Written either as the token or as an AddedToken object around it.
        JsonNode unknownToken = config.path("unk_token");
        String unknown = (unknownToken.isObject() ? unknownToken.path("content") : unknownToken).asText("[UNK]");
        return new WordPieceTokenizer(
                BertFullTokenizer.getPreprocessors(config.path("do_lower_case").asBoolean(true)),
                new WordpieceTokenizer(vocabulary, unknown, MAX_WORD_CHARS),
                vocabulary,
                maxLength);
    }

    @Override
    public long[] encode(String text) {
        List<String> tokens = List.of(text);
        for (TextProcessor step : cleaning) {
            tokens = step.preprocess(tokens);
        }
        return wordPiece.preprocess(tokens).stream()
                .limit(maxLength)
                .mapToLong(vocabulary::getIndex)
                .toArray();
    }
}
