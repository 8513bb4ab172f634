package dev.serval.serving;

/** A model artifact that cannot be served, with a message that says what to fix. */
public class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the artifact */
    public ModelLoadException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the artifact
     * @param cause the underlying failure
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
