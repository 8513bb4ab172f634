package dev.serval.kernel.http;

import java.util.List;

/**
 * The words of a command line typed into a restricted remote shell. Gogo's syntax is a script
 * language that reaches any Java class ({@code ($.context bundle 0) loadClass ...}), so rather than
 * look for what is dangerous, a line is admitted only when every character is one that Gogo reads
 * as part of a plain word: ASCII letters, digits and {@code . _ - : /}, words separated by spaces.
 * That leaves out variables ({@code $}), closures, sub-expressions and lists
 * (<code>{ ( [</code>), quotes and escapes, pipes, {@code ;} and line breaks, redirection,
 * assignment, globs, {@code ~}, comments and every non-ASCII character (look-alikes included):
 * Gogo then runs exactly the words it is given.
 */
final class ShellLine {

    /** The longest line taken: far more than any command of the list needs. */
    static final int MAX_LENGTH = 1024;

    private ShellLine() {}

    /**
     * @param line a command line
     * @return its words, at least one
     * @throws IllegalArgumentException saying why the line is not plain words
     */
    static List<String> words(String line) {
        if (line.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The line is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && !isWordCharacter(c)) {
                throw new IllegalArgumentException("Character " + describe(c) + " at " + (i + 1)
                        + " is refused: a remote session takes one command and plain words (letters, digits and"
                        + " . _ - : /); variables, quotes, brackets, pipes, ; and line breaks are Gogo's scripting");
            }
        }
        List<String> words = List.of(line.strip().split(" +"));
        if (words.get(0).isEmpty()) {
            throw new IllegalArgumentException("No command");
        }
        return words;
    }

    private static boolean isWordCharacter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ".-_:/".indexOf(c) >= 0;
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c > ' ' && c < 0x7f ? "'" + c + "' (" + code + ")" : code;
    }
}
