package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/serval shell} against a server running without a terminal, as a service does: one
 * command and its exit code, a session fed on standard input, and the management key it needs.
 */
class RemoteShellIT {

    @TempDir
    Path root;

    @Test
    void theShellOfARunningServerIsReachedFromAnotherProcess() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        try (ServerProcess server = ServerProcess.start(root, store)) {
            Shell list = shell("", "serval:list");
            assertEquals(0, list.exitCode, list.output);
            assertTrue(list.output.matches("digits +1\\.0 +READY +1/1 workers\\n"), list.output);

            Shell session = shell("lb -s\nserval:scale digits 2\nserval:describe digits\nexit\nserval:list\n");
            assertEquals(0, session.exitCode, session.output);
            assertTrue(session.output.contains("|dev.serval.shell ("), session.output);
            // Only the command's answer: the worker it started logs to the server's log, not here.
            assertTrue(
                    session.output.contains("\nWorkers scaled to 2 for model: digits, version: 1.0\n["),
                    session.output);
            assertFalse(session.output.contains("is serving"), session.output);
            assertTrue(session.output.contains("\"minWorkers\" : 2"), session.output);
            assertFalse(session.output.contains("READY   "), "nothing after exit: " + session.output);
            ServerProcess.waitFor(() -> server.log().contains("[worker-digits-1.0-2] INFO"));

            Shell unknown = shell("", "serval:scale", "nosuch", "2");
            assertEquals(1, unknown.exitCode, unknown.output);
            assertTrue(unknown.output.contains("Model not found: nosuch"), unknown.output);

            // The console's clear, and a command short of an argument: its usage, not Gogo's "Cannot coerce".
            Shell cleared = shell("clear\nserval:list\n");
            assertEquals(0, cleared.exitCode, cleared.output);
            assertTrue(cleared.output.startsWith("digits "), cleared.output);
            Shell missing = shell("", "serval:scale", "digits");
            assertEquals(1, missing.exitCode, missing.output);
            assertEquals("Usage: serval:scale NAME WORKERS\n", missing.output);
            Shell notANumber = shell("", "serval:scale", "digits", "two");
            assertEquals(1, notANumber.exitCode, notANumber.output);
            assertEquals("WORKERS is a number, not two. Usage: serval:scale NAME WORKERS\n", notANumber.output);

            Files.delete(root.resolve("work/key_file.json"));
            Shell keyless = shell("", "serval:list");
            assertEquals(1, keyless.exitCode, keyless.output);
            assertTrue(keyless.output.contains("No key file at"), keyless.output);
        }
    }

    @Test
    void registerAnswersOnceTheWorkersServeAsRestsDoesOrUndoesTheRegistration() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("digits2.mar"), "digits2", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("orphan.mar"), "orphan", "1.0", "convnet_digits.pt", "no_such_handler");
        try (ServerProcess server =
                ServerProcess.start(root, store, "load_models=digits.mar", "enable_model_api=true")) {
            // The list right after: it answered when the worker was READY, not while it loaded.
            Shell registered = shell("serval:register digits2.mar\nserval:list\n");
            assertEquals(0, registered.exitCode, registered.output);
            assertTrue(
                    registered.output.startsWith("Model \"digits2\" Version: 1.0 registered with 1 initial workers\n"),
                    registered.output);
            assertTrue(registered.output.matches("(?s).*\ndigits2 +1\\.0 +READY +1/1 workers\n.*"), registered.output);

            // Workers that cannot start: the error, and the registration undone, as POST /models.
            Shell orphan = shell("", "serval:register", "orphan.mar");
            assertEquals(1, orphan.exitCode, orphan.output);
            assertTrue(
                    orphan.output.contains("Failed to start workers for model orphan version: 1.0: it needs handler "
                            + "'no_such_handler'"),
                    orphan.output);
            assertEquals(
                    404, server.get(server.managementPort, "/models/orphan").statusCode());
        }
    }

    private Shell shell(String input, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(
                ServerProcess.DIST.resolve("bin/serval").toString(),
                "shell",
                "--config",
                root.resolve("config.properties").toString(),
                "--work-dir",
                root.resolve("work").toString()));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "shell still running: " + output);
        return new Shell(process.exitValue(), output);
    }

    private record Shell(int exitCode, String output) {}
}
