package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The SDK bundle, the artifact handler authors compile against, in a plain Felix whose system
 * bundle exports the kernel's packages but the SDK: it resolves on DJL from the system bundle,
 * exports {@code dev.serval.sdk} at the version the kernel exports it, and a handler bundle
 * built against it (the checksum example) wires to it and answers.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SdkBundleIT {

    private static final String SDK = "dev.serval.sdk";
    /** The version of the SDK package the kernel exports, handed to the probe. */
    private static final String KERNEL_SDK_VERSION = "paxexam.kernel.sdk.version";

    @Inject
    private BundleContext context;

    /** @return the kernel's exports less the SDK, the SDK bundle and the checksum example */
    @Configuration
    public Option[] configuration() {
        List<String> withoutSdk = PlainFelix.hostPackages().stream()
                .filter(c -> !c.startsWith(SDK + ";"))
                .toList();
        String kernelSdk = PlainFelix.hostPackages().stream()
                .filter(c -> c.startsWith(SDK + ";"))
                .findFirst()
                .orElseThrow();
        return OptionUtils.combine(
                PlainFelix.framework(withoutSdk, "serval-sdk", "checksum-handler"),
                systemProperty(KERNEL_SDK_VERSION).value(kernelSdk.replaceAll(".*version=\"([^\"]+)\".*", "$1")));
    }

    @Test
    public void exportsTheSdkAtTheKernelsVersionOnTheKernelsDjl() {
        Bundle sdk = Inside.started(context, SDK);
        Inside.assertFromKernel(sdk, "ai.djl.ndarray");
        BundleCapability export = sdk.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package").stream()
                .filter(c -> SDK.equals(c.getAttributes().get("osgi.wiring.package")))
                .findFirst()
                .orElseThrow();
        assertEquals(
                Version.parseVersion(System.getProperty(KERNEL_SDK_VERSION)),
                export.getAttributes().get("version"));
    }

    @Test
    public void aHandlerBuiltOnTheSdkWiresToItAndAnswers() throws Exception {
        Bundle checksum = Inside.started(context, "dev.serval.examples.checksum-handler");
        Inside.assertFrom(checksum, SDK, SDK);
        Inside.assertHandlers(context, checksum, "checksum", "text_stream");

        ServiceReference<Handler> reference =
                Inside.reference(context, Handler.class, "(" + Handler.NAME + "=checksum)");
        ServiceObjects<Handler> objects = context.getServiceObjects(reference);
        Handler handler = objects.getService();
        try {
            // The checksum runs no model: it needs no context.
            Object answer = handler.handle(
                            List.of(Request.builder("abc".getBytes()).build()), null)
                    .get(0)
                    .json()
                    .orElseThrow();
            assertEquals(
                    Map.of("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "bytes", 3),
                    answer);
        } finally {
            objects.ungetService(handler);
        }
    }
}
