package dev.serval.shell;

import dev.serval.kernel.api.CommandShell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Felix Gogo shell as the kernel's {@link CommandShell}: each session is a Gogo session whose
 * output is collected per command line.
 *
 * <p>It is a bundle of its own because Gogo's API lives inside the Gogo runtime bundle: only a
 * bundle wired to that package can call it, and the kernel then needs no reflection.
 */
@Component
public class GogoShell implements CommandShell {

    private final CommandProcessor processor;

    /** @param processor Gogo's command processor */
    @Activate
    public GogoShell(@Reference CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public Session open() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        // No input: a remote command reads nothing from the console.
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
        return new GogoSession(session, buffer, out);
    }

    private record GogoSession(CommandSession session, ByteArrayOutputStream buffer, PrintStream out)
            implements Session {

        @Override
        public synchronized Outcome execute(String line) {
            buffer.reset();
            boolean failed = false;
            try {
                Object result = session.execute(line);
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            } catch (Exception e) {
                // As Gogo's console reports a failed command: the reason, no stack trace.
                out.println(e.getMessage() != null ? e.getMessage() : e.toString());
                failed = true;
            }
            out.flush();
            return new Outcome(buffer.toString(StandardCharsets.UTF_8), failed);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
