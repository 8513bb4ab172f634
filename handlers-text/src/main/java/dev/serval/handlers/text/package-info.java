/**
 * Sequence classification of text, shared by Serval's text handlers: reading the request's text,
 * padding a batch of token ids with its attention mask, and TorchServe's ranked answer. A handler
 * brings only its tokenizer, by extending {@link dev.serval.handlers.text.SequenceClassifier}.
 *
 * <p>Exported so that handler bundles with other tokenizers (handlers-hf) build on the same code.
 */
@Export
@Version("1.0.0")
package dev.serval.handlers.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
