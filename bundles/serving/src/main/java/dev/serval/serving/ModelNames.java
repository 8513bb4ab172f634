package dev.serval.serving;

import java.util.regex.Pattern;

/**
 * The one rule for model names, whichever way a model comes in (register call, manifest, deploy
 * folder, model bundle, snapshot, {@code load_models}): TorchServe's, as torch-model-archiver
 * checks it, with a length bound. Names end up in URLs, metric labels and logs, so nothing that
 * could be read as a path, a second log line or a control sequence gets through.
 */
public final class ModelNames {

    /** The longest name served: a file name's limit on common file systems. */
    public static final int MAX_LENGTH = 255;

    /** What a valid name is, for error messages. */
    public static final String RULE =
            "letters, digits, '-', '_' and '.', starting with a letter or digit, at most " + MAX_LENGTH + " characters";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ModelNames() {}

    /**
     * @param name a model name from outside
     * @return whether it may be served under that name
     */
    public static boolean isValid(String name) {
        return name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
    }
}
