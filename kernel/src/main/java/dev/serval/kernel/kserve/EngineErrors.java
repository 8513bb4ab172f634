package dev.serval.kernel.kserve;

import java.util.List;

/**
 * An engine's refusal said in a line: TorchScript's errors carry the interpreter's traceback
 * (file names and code of the serialized model) before the one line that says what is wrong.
 */
final class EngineErrors {

    private static final int MAX_LENGTH = 300;

    private EngineErrors() {}

    /**
     * @param e what the engine threw
     * @return the line of its message that says what is wrong: the last one after a traceback,
     *     else the first, at most 300 characters
     */
    static String shortMessage(Throwable e) {
        Throwable cause = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        List<String> lines = message.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            return cause.getClass().getSimpleName();
        }
        String line = message.contains("Traceback") ? lines.get(lines.size() - 1) : lines.get(0);
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH) + "..." : line;
    }
}
