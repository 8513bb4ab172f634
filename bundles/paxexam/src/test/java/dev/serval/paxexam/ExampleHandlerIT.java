package dev.serval.paxexam;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serval.sdk.Request;
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
 * The example handler bundle of {@code examples/custom-handler}, as a handler author builds it
 * against the SDK, in a plain Felix: TorchServe's MNIST handler, ported, on the digits model.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ExampleHandlerIT {

    @Inject
    private BundleContext context;

    /** @return the kernel's exports and the bundle */
    @Configuration
    public Option[] configuration() {
        return PlainFelix.kernelHost("digits-preview-handler");
    }

    @Test
    public void registersBothOfItsHandlers() throws Exception {
        Bundle bundle = Inside.started(context, "dev.serval.examples.digits-preview-handler");
        Inside.assertFromKernel(bundle, "dev.serval.sdk");
        Inside.assertHandlers(context, bundle, "digits_preview", "mnist_handler");
    }

    @Test
    public void mnistHandlerAnswersPyTorchsDigit() throws Exception {
        JsonNode testCase = References.firstCase("digits");
        Object answer = Workers.infer(
                        context,
                        "mnist_handler",
                        References.model("digits"),
                        Request.builder(References.input("digits", testCase)).build())
                .json()
                .orElseThrow();
        assertEquals(testCase.get("pred").asLong(), answer);
    }
}
