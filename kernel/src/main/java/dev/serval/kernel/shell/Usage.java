package dev.serval.kernel.shell;

import java.util.List;

/**
 * A {@code serval:*} command's usage: how many words it takes, and the line that says which, given
 * as the command's failure when its words do not fit.
 */
enum Usage {
    DESCRIBE("serval:describe NAME [VERSION|all]", 1, 2),
    REGISTER("serval:register URL", 1, 1),
    UNREGISTER("serval:unregister NAME [VERSION]", 1, 2),
    SCALE("serval:scale NAME WORKERS", 2, 2),
    DEFAULT("serval:default NAME VERSION", 2, 2);

    private final String line;
    private final int least;
    private final int most;

    Usage(String line, int least, int most) {
        this.line = line;
        this.least = least;
        this.most = most;
    }

    /**
     * @param args the words the command was given
     * @return them, when they fit
     * @throws IllegalArgumentException saying the usage, when they do not
     */
    List<String> check(String... args) {
        if (args.length < least || args.length > most) {
            throw new IllegalArgumentException("Usage: " + line);
        }
        return List.of(args);
    }

    /**
     * @param word one of the words
     * @param name its name in the usage
     * @return the number it is
     * @throws IllegalArgumentException saying the usage, when it is no number
     */
    int number(String word, String name) {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a number, not " + word + ". Usage: " + line);
        }
    }
}
