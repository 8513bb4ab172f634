package dev.serval.handlers.hf;

import dev.serval.handlers.text.SequenceClassifierContract;

/**
 * {@code hf_sequence_classifier} with Hugging Face's tokenizer against the reference, through the
 * shared contract. It cuts texts at 64 tokens, the reference tokenizer.json's own truncation.
 */
class HfSequenceClassifierTest extends SequenceClassifierContract {

    HfSequenceClassifierTest() {
        super(HfSequenceClassifier::new, HfTokenizer::open, 64);
    }
}
