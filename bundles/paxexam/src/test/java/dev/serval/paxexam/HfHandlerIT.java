package dev.serval.paxexam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serval.sdk.Request;
import java.nio.charset.StandardCharsets;
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
 * serval-handlers-hf in a plain Felix, on the text bundle whose package it imports:
 * {@code hf_sequence_classifier} reads the reviews model's {@code tokenizer.json} with DJL's
 * Hugging Face tokenizers, from the system bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HfHandlerIT {

    @Inject
    private BundleContext context;

    /** @return the kernel's exports, the text bundle and the bundle */
    @Configuration
    public Option[] configuration() {
        return PlainFelix.kernelHost("serval-handlers-text", "serval-handlers-hf");
    }

    @Test
    public void resolvesAgainstTheTextBundleAndTheKernelsTokenizers() throws Exception {
        Bundle bundle = Inside.started(context, "dev.serval.handlers.hf");
        Inside.assertFrom(bundle, "dev.serval.handlers.text", "dev.serval.handlers.text");
        Inside.assertFromKernel(bundle, "ai.djl.huggingface.tokenizers");
        Inside.assertHandlers(context, bundle, "hf_sequence_classifier");
    }

    @Test
    public void hfSequenceClassifierGivesPyTorchsProbabilities() throws Exception {
        JsonNode testCase = References.firstCase("reviews_distilbert");
        JsonNode answer = References.tree(Workers.infer(
                        context,
                        "hf_sequence_classifier",
                        References.model("reviews_distilbert"),
                        Request.builder(testCase.get("text").asText().getBytes(StandardCharsets.UTF_8))
                                .build())
                .json()
                .orElseThrow());
        TextHandlerIT.assertProbabilities(testCase, answer);
    }
}
