package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code serval start}, {@code stop} and {@code status} without a server: what they hand on and say. */
class DaemonCommandsTest {

    @TempDir
    Path dir;

    @Test
    void startHandsTheServerItsOptionsAsGiven() {
        ParseResult parsed = Main.commandLine()
                .parseArgs(
                        "start",
                        "--config=my.properties",
                        "--models",
                        "a=a.mar,b",
                        "--ncs",
                        "--work-dir",
                        "w",
                        "--base",
                        "/data",
                        "--enable-model-api")
                .subcommand();

        assertEquals(
                List.of(
                        "--ts-config",
                        "my.properties",
                        "--models",
                        "a=a.mar,b",
                        "--no-config-snapshots",
                        "--work-dir",
                        "w",
                        "--base",
                        "/data",
                        "--enable-model-api"),
                StartCommand.serverArguments(parsed));
    }

    @Test
    void startRunsThisJvmsJavaOnItsClassPath() {
        ParseResult parsed = Main.commandLine().parseArgs("start", "--ncs").subcommand();
        List<String> command = StartCommand.command(parsed);

        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), command.get(0));
        int main = command.indexOf(Main.class.getName());
        assertEquals(System.getProperty("java.class.path"), command.get(main - 1));
        assertEquals(List.of("--no-config-snapshots"), command.subList(main + 1, command.size()));
    }

    @Test
    void statusWithoutAPidFileIsThreeAndWithAStaleOneIsOne() throws Exception {
        assertEquals(StatusCommand.NOT_RUNNING, run("status"));

        Process ended = new ProcessBuilder("true").start();
        assertTrue(ended.waitFor(10, TimeUnit.SECONDS));
        PidFile.in(dir.resolve("base/work")).write(ended.pid());
        StringWriter out = new StringWriter();
        assertEquals(StatusCommand.DEAD_WITH_PID_FILE, run(out, "status"));
        assertTrue(
                out.toString()
                        .contains("stale pid file " + dir.resolve("base/work/serval.pid") + " (pid " + ended.pid()
                                + " is not a running Serval)"),
                out.toString());
    }

    @Test
    void stopRemovesAStalePidFileAndSaysSo() throws Exception {
        Path pid = Files.writeString(
                Files.createDirectories(dir.resolve("base/work")).resolve(PidFile.FILE), "garbage");
        StringWriter out = new StringWriter();
        assertEquals(0, run(out, "stop"));
        assertTrue(out.toString().contains("stale pid file " + pid + " (no pid in it): removed it"), out.toString());
        assertTrue(Files.notExists(pid));

        out = new StringWriter();
        assertEquals(0, run(out, "stop"));
        assertTrue(out.toString().startsWith("Serval is not running (no " + pid + ")"), out.toString());
    }

    private int run(String... args) {
        return run(new StringWriter(), args);
    }

    /** Runs the command with the base in this test's folder and no config file. */
    private int run(StringWriter out, String... args) {
        CommandLine command = Main.commandLine().setOut(new PrintWriter(out, true));
        String[] line = new String[args.length + 2];
        System.arraycopy(args, 0, line, 0, args.length);
        line[args.length] = "--base";
        line[args.length + 1] = dir.resolve("base").toString();
        return command.execute(line);
    }
}
