package dev.serval.handlers.text;

import org.osgi.annotation.versioning.ConsumerType;

/** Turns a text into the token ids its model was trained on. Used from one worker thread only. */
@ConsumerType
public interface TextTokenizer extends AutoCloseable {

    /**
     * @param text a text that is not blank
     * @return its token ids, special tokens included as the tokenizer adds them, cut to the
     *     tokenizer's maximum length; not padded
     */
    long[] encode(String text);

    /** Releases what the tokenizer holds outside the Java heap; nothing by default. */
    @Override
    default void close() {}
}
