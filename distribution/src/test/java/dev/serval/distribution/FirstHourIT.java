package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets first, against the built distribution: the start-up log, which warns of
 * nothing on a machine that is as it should be, and {@code bin/serval}'s help.
 */
class FirstHourIT {

    @TempDir
    Path root;

    @Test
    void aStartWithATorchScriptAndAnOnnxModelWarnsOfNothing() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        Archives.digits(store.resolve("digits_onnx.mar"), "digits_onnx", "1.0", "convnet_digits.onnx",
                "image_classifier");
        byte[] png = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_00_label5.png"));
        try (ServerProcess server = ServerProcess.start(root, store)) {
            for (String model : List.of("digits", "digits_onnx")) {
                assertEquals(200, server.predict("/predictions/" + model, png, "PUT").statusCode());
            }
            String log = server.log();
            // Expected: none. DJL's CUDA probes, TorchScript's unknown shapes and ONNX Runtime's
            // CUDA probe each warned on every CPU-only start.
            assertEquals(List.of(), log.lines().filter(line -> line.contains(" WARN ")).toList(), log);
            assertTrue(log.lines().filter(line -> line.contains("INFO Engines - No GPU found")).count() <= 1, log);
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
}
