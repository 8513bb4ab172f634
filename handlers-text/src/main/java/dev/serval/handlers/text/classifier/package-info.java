/**
 * TorchServe's {@code text_classifier}: BERT's WordPiece from {@code vocab.txt} in Java, or the
 * archive's own {@code tokenizer.json} through {@code hf_sequence_classifier} when it has one.
 */
package dev.serval.handlers.text.classifier;
