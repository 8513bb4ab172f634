package dev.serval.handlers.hf;

import dev.serval.handlers.text.SequenceClassifier;
import dev.serval.handlers.text.TextTokenizer;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * A 🤗 Transformers {@code AutoModelForSequenceClassification}, exported to TorchScript or ONNX
 * with inputs {@code input_ids} and {@code attention_mask}, served from the files
 * {@code save_pretrained} writes: {@code tokenizer.json} tokenizes, {@code config.json} names the
 * labels ({@code id2label}; else {@code index_to_name.json}) and bounds the length. The answer is
 * {@code {"label": probability}} over every label, highest first.
 *
 * <p>Model-config keys under {@code handler:}: see {@link SequenceClassifier}.
 */
@Component(
        service = Handler.class,
        scope = ServiceScope.PROTOTYPE,
        property = Handler.NAME + "=" + HfSequenceClassifier.NAME)
public class HfSequenceClassifier extends SequenceClassifier {

    /** The handler name archives refer to. */
    public static final String NAME = "hf_sequence_classifier";

    @Override
    protected TextTokenizer openTokenizer(Context context, int maxLength) throws Exception {
        return HfTokenizer.open(context.modelDir(), maxLength);
    }
}
