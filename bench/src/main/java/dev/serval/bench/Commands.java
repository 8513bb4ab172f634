package dev.serval.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Short commands the benchmark runs beside the server: {@code jcmd}, {@code taskset}. */
final class Commands {

    private Commands() {}

    /**
     * Runs the command to its end.
     *
     * @param command the command line
     * @throws IOException when it cannot be started or exits with anything but 0; the message
     *     holds its output
     * @throws InterruptedException when interrupted while waiting for it
     */
    static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
