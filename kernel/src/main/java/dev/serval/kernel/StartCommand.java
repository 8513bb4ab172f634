package dev.serval.kernel;

import dev.serval.kernel.config.ServerConfig;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code serval start}: the server in the background, as {@code torchserve --start} starts it. The
 * server is a JVM of its own running {@code bin/serval} with the same options (nothing forks inside
 * a JVM), its output appended to the base folder's {@code logs/serval.log}, its pid in the work
 * folder's {@link PidFile}. Unlike {@code torchserve --start}, this returns only once the server is
 * healthy or has failed, so that a script can go on to predict, and a failure is said where it
 * was asked for.
 */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the server in the background, with bin/serval's options; its output goes to"
                    + " logs/serval.log in the base folder, its pid to serval.pid in the work folder.",
            "Exits 0 once /ping says Healthy; 1 when it failed, runs already, or is not healthy within 120 s."
        })
final class StartCommand implements Callable<Integer> {

    /** How long a start waits for the server's start-up models to serve. */
    static final Duration STARTUP = Duration.ofSeconds(120);

    /** The server's log in the base folder's {@code logs/}. */
    static final String LOG = "serval.log";

    /** How many of the log's last lines a failed start shows. */
    private static final int TAIL = 20;

    @Mixin
    private ServerOptions server;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = server.config();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PidFile pidFile = PidFile.in(config.workDir());
        Optional<ProcessHandle> running = pidFile.server();
        if (running.isPresent()) {
            err.println("Serval is already running (pid " + running.get().pid() + ", " + pidFile.path()
                    + "); serval stop stops it");
            return 1;
        }
        if (pidFile.exists()) {
            out.println(StatusCommand.stale(pidFile) + ": removed it");
            pidFile.delete();
        }
        Path log = Files.createDirectories(server.base().logs()).resolve(LOG);
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Process process = new ProcessBuilder(command(spec.commandLine().getParseResult()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        pidFile.write(process.pid());
        return awaitHealthy(process, config, pidFile, log, logStart, out, err);
    }

    private static int awaitHealthy(
            Process process,
            ServerConfig config,
            PidFile pidFile,
            Path log,
            long logStart,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        HealthProbe probe = new HealthProbe(config.inferenceAddress());
        long deadline = System.nanoTime() + STARTUP.toNanos();
        int status = HealthProbe.NO_ANSWER;
        while (System.nanoTime() < deadline) {
            if (process.waitFor(250, TimeUnit.MILLISECONDS)) {
                pidFile.deleteIfNaming(process.pid());
                err.println("Serval failed to start (exit code " + process.exitValue() + "); the end of " + log + ":");
                tail(log, logStart).forEach(err::println);
                return 1;
            }
            status = probe.ping();
            if (status == 200) {
                out.println("Serval is running (pid " + process.pid() + "): " + StatusCommand.addresses(config)
                        + "; log " + log);
                return 0;
            }
        }
        err.println("Serval (pid " + process.pid() + ") is not healthy after " + STARTUP.toSeconds() + " s ("
                + (status == HealthProbe.NO_ANSWER ? "/ping does not answer" : "/ping answers " + status)
                + ") and keeps starting: serval status says how it is, serval stop stops it; log " + log);
        return 1;
    }

    /** @return the log's last lines since {@code from}: what the server that failed wrote */
    private static List<String> tail(Path log, long from) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String written = new String(
                bytes,
                (int) Math.min(from, bytes.length),
                (int) Math.max(0, bytes.length - from),
                StandardCharsets.UTF_8);
        List<String> lines = written.lines().toList();
        return lines.subList(Math.max(0, lines.size() - TAIL), lines.size());
    }

    /**
     * @param parsed this command's parse result
     * @return the server's command line: this JVM's java, JVM options and class path, running
     *     {@link Main} in the foreground with the options given to {@code start}
     */
    static List<String> command(ParseResult parsed) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(serverArguments(parsed));
        return command;
    }

    /**
     * @param parsed this command's parse result
     * @return its options as they were given, for the foreground server
     */
    static List<String> serverArguments(ParseResult parsed) {
        List<String> arguments = new ArrayList<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            if (option.arity().max() == 0) {
                arguments.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    arguments.addAll(Arrays.asList(option.longestName(), value));
                }
            }
        }
        return arguments;
    }
}
