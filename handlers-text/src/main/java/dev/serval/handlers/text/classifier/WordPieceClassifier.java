package dev.serval.handlers.text.classifier;

import dev.serval.handlers.text.SequenceClassifier;
import dev.serval.handlers.text.TextTokenizer;
import dev.serval.sdk.Context;

/** The sequence classifier on {@link WordPieceTokenizer}: {@code text_classifier} without {@code tokenizer.json}. */
final class WordPieceClassifier extends SequenceClassifier {

    @Override
    protected TextTokenizer openTokenizer(Context context, int maxLength) throws Exception {
        return WordPieceTokenizer.open(context.modelDir(), maxLength);
    }
}
