package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bin/serval's subcommands: their options, and bad input answered in one line. */
class MainTest {

    @Test
    void archiveWritesTheFormatItIsAskedFor(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        int exit = Main.commandLine()
                .execute(
                        "archive",
                        "--model-name",
                        "m",
                        "--version",
                        "2.0",
                        "--serialized-file",
                        model.toString(),
                        "--handler",
                        "image_classifier",
                        "--export-path",
                        dir.toString(),
                        "--format",
                        "bundle");
        assertEquals(0, exit);
        assertTrue(Files.isRegularFile(dir.resolve("m.jar")));
    }

    @Test
    void badInputIsOneLineAndExitCodeOne(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(
                "archive",
                "--model-name",
                "m",
                "--version",
                "1.0",
                "--serialized-file",
                dir.resolve("missing.pt").toString(),
                "--handler",
                "h",
                "--export-path",
                dir.toString());
        assertEquals(1, exit);
        assertEquals(
                "archive: --serialized-file: file does not exist: " + dir.resolve("missing.pt"),
                err.toString().strip());
    }

    @Test
    void newHandlerWritesAProjectAndRefusesABadNameInOneLine(@TempDir Path dir) {
        assertEquals(
                0,
                Main.commandLine()
                        .setOut(new PrintWriter(new StringWriter()))
                        .execute(
                                "new",
                                "handler",
                                "my_handler",
                                "--dir",
                                dir.resolve("p").toString()));
        assertTrue(Files.isRegularFile(dir.resolve("p/pom.xml")));

        StringWriter err = new StringWriter();
        assertEquals(1, Main.commandLine().setErr(new PrintWriter(err, true)).execute("new", "handler", "../x"));
        assertEquals(
                "handler: '../x' is not a handler name: use letters, digits, _ and -, starting with a letter,"
                        + " as in my_handler",
                err.toString().strip());
    }

    @Test
    void newWithoutWhatToWriteSaysItsUsage() {
        for (List<String> args : List.of(List.of("new"), List.of("new", "handler"))) {
            StringWriter err = new StringWriter();
            assertEquals(
                    2, Main.commandLine().setErr(new PrintWriter(err, true)).execute(args.toArray(String[]::new)));
            assertTrue(err.toString().contains("Usage: serval " + String.join(" ", args)), err.toString());
        }
    }

    @Test
    void everyCommandsHelpExitsZero() {
        CommandLine main = Main.commandLine();
        for (String subcommand : main.getSubcommands().keySet()) {
            StringWriter out = new StringWriter();
            CommandLine command = Main.commandLine();
            command.setOut(new PrintWriter(out, true));
            assertEquals(0, command.execute(subcommand, "--help"), subcommand);
            assertTrue(out.toString().startsWith("Usage: serval " + subcommand), out.toString());
        }
        assertEquals(
                0,
                Main.commandLine().setOut(new PrintWriter(new StringWriter())).execute("--help"));
    }
}
