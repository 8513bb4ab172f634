package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets first, against the built distribution: the start-up log, which warns of
 * nothing on a machine that is as it should be, {@code bin/serval}'s help, and the console.
 */
class FirstHourIT {

    @TempDir
    Path root;

    @Test
    void aStartWithATorchScriptAndAnOnnxModelWarnsOfNothing() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(
                store.resolve("digits_onnx.mar"), "digits_onnx", "1.0", "convnet_digits.onnx", "image_classifier");
        byte[] png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        try (ServerProcess server = ServerProcess.start(root, store)) {
            for (String model : List.of("digits", "digits_onnx")) {
                assertEquals(
                        200, server.predict("/predictions/" + model, png, "PUT").statusCode());
            }
            String log = server.log();
            // Expected: none. DJL's CUDA probes, TorchScript's unknown shapes and ONNX Runtime's
            // CUDA probe each warned on every CPU-only start.
            assertEquals(
                    List.of(),
                    log.lines().filter(line -> line.contains(" WARN ")).toList(),
                    log);
            assertTrue(
                    log.lines()
                                    .filter(line -> line.contains("INFO Engines - No GPU found"))
                                    .count()
                            <= 1,
                    log);
        }
    }

    @Test
    void everyCommandsHelpExitsZero() throws Exception {
        assertTrue(ServerProcess.run("--help").startsWith("Usage: serval "));
        for (String command : List.of("archive", "dev", "shell")) {
            String help = ServerProcess.run(command, "--help");
            assertTrue(help.startsWith("Usage: serval " + command), help);
        }
    }

    @Test
    void exitOnTheConsoleStopsTheServerCleanly() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "script(1) gives the server a terminal, as a user's");
        int[] ports = ServerProcess.freePorts(5);
        Path config = Files.writeString(
                root.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:" + ports[0],
                        "management_address=http://127.0.0.1:" + ports[1],
                        "metrics_address=http://127.0.0.1:" + ports[2],
                        "grpc_inference_port=" + ports[3],
                        "grpc_management_port=" + ports[4],
                        "model_store=" + Files.createDirectories(root.resolve("store")),
                        ""));
        String serval = String.join(
                " ",
                ServerProcess.command(
                        List.of(), config, Files.createDirectories(root.resolve("deploy")), root.resolve("work")));
        Process console = new ProcessBuilder(script.toString(), "-qefc", serval, "/dev/null")
                .redirectErrorStream(true)
                .start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                byte[] buffer = new byte[8192];
                for (int n; (n = console.getInputStream().read(buffer)) > 0; ) {
                    synchronized (output) {
                        output.append(new String(buffer, 0, n));
                    }
                }
            } catch (java.io.IOException e) {
                // the console closed
            }
        });
        try {
            ServerProcess.waitFor(Duration.ofSeconds(120), () -> {
                synchronized (output) {
                    return output.toString().contains("INFO Serval - Serval started");
                }
            });
            console.getOutputStream().write("exit\n".getBytes());
            console.getOutputStream().flush();
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), output::toString);
            reading.get(10, TimeUnit.SECONDS);
        } finally {
            console.destroyForcibly();
        }
        String log = output.toString();
        assertEquals(0, console.exitValue(), log);
        assertTrue(log.contains("INFO Serval - Serval stopped"), log);
        assertFalse(log.contains("Exception"), log);
        // JLine's "Unable to create a system terminal, creating a dumb terminal" warning
        assertFalse(log.contains("WARNING"), log);
    }
}
