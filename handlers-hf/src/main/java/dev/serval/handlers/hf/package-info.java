/**
 * Models saved by 🤗 Transformers, served from the files {@code save_pretrained} writes
 * ({@code config.json}, {@code tokenizer.json}) with Hugging Face's own tokenizer, no handler code.
 */
package dev.serval.handlers.hf;
