package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.api.CommandShell;
import dev.serval.serving.ServingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/**
 * The {@code serval:*} commands, typed into a Felix Gogo session as on the server's console:
 * register, list, scale, describe, default and unregister, beside Felix's own {@code lb}.
 */
class ShellCommandsIT {

    @TempDir
    static Path work;

    private static InFramework osgi;
    private static Session shell;

    @BeforeAll
    static void start() throws Exception {
        osgi = InFramework.start(work);
        shell = Session.open(osgi);
    }

    @AfterAll
    static void stop() throws Exception {
        osgi.close();
    }

    @Test
    void modelsAreManagedFromTheShell() throws Exception {
        assertEquals(
                "Model \"digits\" Version: 1.0 registered with 1 initial workers",
                shell.execute("serval:register digits"));
        assertTrue(shell.execute("serval:list").startsWith("digits"), shell.execute("serval:list"));

        assertEquals("Workers scaled to 2 for model: digits, version: 1.0", shell.execute("serval:scale digits 2"));
        assertTrue(
                shell.execute("serval:describe digits").contains("\"minWorkers\" : 2"),
                shell.execute("serval:describe digits"));
        assertEquals("Default version of digits is now 1.0", shell.execute("serval:default digits 1.0"));
        byte[] digit = Files.readAllBytes(InFramework.MODELS.resolve("digits/images/digit_00_label5.png"));
        assertTrue(osgi.predict("digits", digit).json().orElseThrow().toString().startsWith("{5="));

        assertEquals("Model \"digits\" version 1.0 unregistered", shell.execute("serval:unregister digits"));
        assertThrows(ServingException.class, () -> osgi.catalog.resolve("digits", Optional.empty()));
    }

    @Test
    void felixCommandsSitBesideServals() throws Exception {
        String bundles = shell.execute("lb -s");
        assertTrue(bundles.contains("|dev.serval.handlers.image ("), bundles);
    }

    @Test
    void aFailedCommandSaysWhy() {
        IllegalStateException failed =
                assertThrows(IllegalStateException.class, () -> shell.execute("serval:scale nosuch 2"));
        assertTrue(failed.getMessage().contains("Model not found: nosuch"), failed.getMessage());
    }

    /** A Gogo session, through the shell bundle's service as {@code bin/serval shell} uses it. */
    private record Session(CommandShell.Session session) {

        static Session open(InFramework osgi) {
            BundleContext context = osgi.context();
            return new Session(context.getService(context.getServiceReference(CommandShell.class))
                    .open());
        }

        String execute(String command) {
            CommandShell.Outcome outcome = session.execute(command);
            if (outcome.failed()) {
                throw new IllegalStateException(outcome.output());
            }
            return outcome.output().strip();
        }
    }
}
