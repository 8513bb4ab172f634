package dev.serval.handlers.text.classifier;

import dev.serval.handlers.text.SequenceClassifierContract;

/**
 * {@code text_classifier}'s Java WordPiece against the reference, through the shared contract. It
 * cuts texts at 128 tokens, {@code max_position_embeddings}: there is no tokenizer.json to say less.
 */
class WordPieceClassifierTest extends SequenceClassifierContract {

    WordPieceClassifierTest() {
        super(WordPieceClassifier::new, WordPieceTokenizer::open, 128);
    }
}
