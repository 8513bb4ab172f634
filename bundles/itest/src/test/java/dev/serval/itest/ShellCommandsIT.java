package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.model.ServingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

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
        assertEquals("Model \"digits\" Version: 1.0 registered with 1 initial workers",
                shell.execute("serval:register digits"));
        assertTrue(shell.execute("serval:list").startsWith("digits"), shell.execute("serval:list"));

        assertEquals("Workers scaled to 2 for model: digits, version: 1.0", shell.execute("serval:scale digits 2"));
        assertTrue(shell.execute("serval:describe digits").contains("\"minWorkers\" : 2"),
                shell.execute("serval:describe digits"));
        assertEquals("Default version of digits is now 1.0", shell.execute("serval:default digits 1.0"));
        byte[] digit = Files.readAllBytes(InFramework.MODELS.resolve("digits/images/digit_00_label5.png"));
        assertTrue(osgi.predict("digits", digit).json().orElseThrow().toString().startsWith("{5="));

        assertEquals("Model \"digits\" version 1.0 unregistered", shell.execute("serval:unregister digits"));
        assertThrows(ServingException.class, () -> osgi.registry.resolve("digits", Optional.empty()));
    }

    @Test
    void felixCommandsSitBesideServals() throws Exception {
        String bundles = shell.execute("lb -s");
        assertTrue(bundles.contains("dev.serval.handlers.image"), bundles);
    }

    /**
     * A Gogo session, driven by reflection: the Gogo runtime's classes live in its bundle, not on
     * the test's class path.
     */
    private record Session(Object session) {

        static Session open(InFramework osgi) throws Exception {
            // All references: the system bundle is not wired to Gogo's API package, which the
            // class-space check of getServiceReference would require.
            ServiceReference<?> reference = osgi.context()
                    .getAllServiceReferences("org.apache.felix.service.command.CommandProcessor", null)[0];
            Object processor = osgi.context().getService(reference);
            Object session = processor.getClass()
                    .getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                    .invoke(processor, new ByteArrayInputStream(new byte[0]),
                            new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
            return new Session(session);
        }

        String execute(String command) throws Exception {
            try {
                Object result = session.getClass().getMethod("execute", CharSequence.class).invoke(session, command);
                return String.valueOf(result);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
