package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.serval.kernel.api.CommandShell;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * serval-shell in a plain Felix with Gogo's runtime and commands, as the distribution ships them:
 * the kernel's {@link CommandShell}, from the system bundle, served by Gogo.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {

    @Inject
    private BundleContext context;

    /** @return the kernel's exports, Gogo and the bundle */
    @Configuration
    public Option[] configuration() {
        return PlainFelix.kernelHost("org.apache.felix.gogo.runtime", "org.apache.felix.gogo.command", "serval-shell");
    }

    @Test
    public void offersGogoAsTheKernelsCommandShell() throws Exception {
        Bundle bundle = Inside.started(context, "dev.serval.shell");
        Inside.assertFromKernel(bundle, "dev.serval.kernel.api");
        Inside.assertFrom(bundle, "org.apache.felix.service.command", "org.apache.felix.gogo.runtime");
        Inside.componentsUp(context, bundle, 1);
        assertEquals(bundle, Inside.reference(context, CommandShell.class, null).getBundle());
    }

    @Test
    public void runsCommandLinesAndReportsFailures() throws Exception {
        try (CommandShell.Session session =
                Inside.service(context, CommandShell.class, null).open()) {
            CommandShell.Outcome bundles = session.execute("lb -s");
            assertFalse(bundles.output(), bundles.failed());
            assertTrue(bundles.output(), bundles.output().contains("dev.serval.shell"));
            CommandShell.Outcome unknown = session.execute("no-such-command");
            assertTrue(unknown.output(), unknown.failed());
        }
    }
}
