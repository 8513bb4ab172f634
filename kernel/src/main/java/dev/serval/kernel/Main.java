package dev.serval.kernel;

import dev.serval.kernel.archive.ArchiveCommand;
import dev.serval.kernel.log.ServerLog;
import dev.serval.kernel.template.NewCommand;
import dev.serval.serving.ServerVersion;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParseResult;

/**
 * {@code bin/serval}: without a subcommand, starts the server in the foreground until SIGTERM or
 * Ctrl-C; {@code bin/serval archive} packs a model; {@code bin/serval dev} serves while
 * redeploying a handler project and model folders as they change; {@code bin/serval shell} opens
 * a running server's shell; {@code bin/serval start}, {@code stop} and {@code status} run the
 * server in the background; {@code bin/serval new handler} writes a handler project;
 * {@code bin/serval natives} unpacks the engines' native libraries into the installation.
 */
@Command(
        name = "serval",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Serves PyTorch (TorchScript) and ONNX models over TorchServe's REST APIs.",
        subcommands = {
            ArchiveCommand.class,
            DevCommand.class,
            ShellCommand.class,
            NewCommand.class,
            StartCommand.class,
            StopCommand.class,
            StatusCommand.class,
            NativesCommand.class
        })
public final class Main implements Callable<Integer> {

    @Mixin
    private ServerOptions server;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** @return the command line of {@code bin/serval} and its subcommands */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportBadInput);
    }

    /** Bad input ends in one line saying what to fix, not in a stack trace. */
    private static int reportBadInput(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof IOException) {
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return 1;
        }
        throw e;
    }

    @Override
    public Integer call() throws Exception {
        ServerLog.capture(); // for the web console's log lines
        runUntilStopped(Serval.start(server.config()));
        return 0;
    }

    /**
     * Waits for SIGTERM or Ctrl-C (SIGINT), then closes what runs, last started first, on this
     * thread, and returns: the process exits 0, as a container runtime expects of a server it
     * stopped, not 143 or 130. The signals are handled ({@link StopSignals}) rather than left to
     * a shutdown hook, which runs only once the JVM is already exiting with the signal's code. A shutdown
     * hook is kept for the exits no signal handler sees (SIGHUP, {@code System.exit} from a
     * bundle): it closes what runs unless this thread did, or waits for this thread to finish.
     *
     * @param running the server, then what was started on it
     * @throws InterruptedException when interrupted while waiting
     */
    static void runUntilStopped(AutoCloseable... running) throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        StopSignals.handle(List.of("TERM", "INT"), signalled::countDown);
        Stop stop = new Stop(running);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "serval-shutdown"));
        signalled.await();
        stop.run();
    }

    /** Closes what runs once, whichever of the main thread and the shutdown hook comes first. */
    private static final class Stop {

        private final AutoCloseable[] running;
        private boolean done;

        Stop(AutoCloseable[] running) {
            this.running = running;
        }

        synchronized void run() {
            if (done) {
                return;
            }
            done = true;
            try {
                for (int i = running.length - 1; i >= 0; i--) {
                    running[i].close();
                }
            } catch (Exception e) {
                LoggerFactory.getLogger(Main.class).error("Stopping failed", e);
            }
        }
    }

    /** {@code serval --version}: the version of the build, as every API reports it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Serval " + ServerVersion.CURRENT};
        }
    }
}
