package dev.serval.kernel;

import dev.serval.kernel.api.CommandShell;
import dev.serval.kernel.auth.Keys;
import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.ServerConfig;
import dev.serval.kernel.config.ShellAccess;
import dev.serval.kernel.http.ShellApi;
import dev.serval.kernel.log.LogOutput;
import dev.serval.kernel.shell.RemoteShell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code serval shell}: the Felix Gogo shell of a server that runs without a terminal (as a
 * service), from another terminal on the same machine. It finds the server as the server found
 * its settings, and authenticates with the management key of the server's key file.
 */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description = {
            "Opens the Gogo shell of the server running with these settings, over loopback.",
            "With a command, runs it and exits: 1 when it fails."
        })
final class ShellCommand implements Callable<Integer> {

    private static final String PROMPT = "g! ";
    /** ANSI: cursor home, then erase the screen. */
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @Mixin
    private ConfigLocation location;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "A command line to run, e.g. serval:list")
    private List<String> command = List.of();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // A client: what the server's settings say is the server's log's business, not the user's.
        LogOutput.quiet();
        ServerConfig config = location.config().build();
        if (config.remoteShell() == ShellAccess.OFF) {
            // The server refuses the upgrade with a 403 whose reason java.net.http does not read.
            spec.commandLine().getErr().println(ShellApi.OFF_REASON);
            return 1;
        }
        Optional<String> key = config.tokenAuthorization()
                ? Optional.of(Keys.read(config.workDir().resolve("key_file.json"), Keys.Kind.MANAGEMENT))
                : Optional.empty();
        PrintWriter out = spec.commandLine().getOut();
        try (RemoteShell shell = RemoteShell.connect(uri(config.managementAddress()), key)) {
            if (!command.isEmpty()) {
                return print(shell.execute(String.join(" ", command)), out) ? 1 : 0;
            }
            converse(shell, out);
            return 0;
        }
    }

    /**
     * Reads command lines until end of input or {@code exit}, as the console shell does, and
     * clears the screen on {@code clear}.
     */
    private static void converse(RemoteShell shell, PrintWriter out) throws Exception {
        boolean terminal = System.console() != null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            if (terminal) {
                out.print(PROMPT);
                out.flush();
            }
            String line = in.readLine();
            if (line == null || line.strip().equals("exit")) {
                return;
            }
            if (line.strip().equals("clear")) {
                // The terminal is this process's: the server's clear would need one of its own.
                if (terminal) {
                    out.print(CLEAR_SCREEN);
                    out.flush();
                }
            } else if (!line.isBlank()) {
                print(shell.execute(line), out);
            }
        }
    }

    /** @return whether the command failed */
    private static boolean print(CommandShell.Outcome outcome, PrintWriter out) {
        out.print(outcome.output());
        out.flush();
        return outcome.failed();
    }

    /** The management listener, reached on loopback when it listens on every interface. */
    private static URI uri(Address management) {
        return URI.create((management.https() ? "wss://" : "ws://") + management.reachableHost() + ":"
                + management.port() + ShellApi.PATH);
    }
}
