package dev.serval.handlers.text.classifier;

import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.nio.file.Files;
import java.util.List;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ReferenceScope;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TorchServe's {@code text_classifier}, on one of two tokenizers. An archive holding a
 * {@code tokenizer.json} (a 🤗 Transformers model saved with its fast tokenizer) is served by
 * {@code hf_sequence_classifier}, which reads that file exactly; any other by
 * {@link WordPieceClassifier}, BERT's WordPiece from {@code vocab.txt} in Java.
 *
 * <p>The reference to {@code hf_sequence_classifier} is static and greedy: when that handler comes
 * or goes, this component is re-registered, so the server restarts the workers that use it.
 */
@Component(service = Handler.class, scope = ServiceScope.PROTOTYPE, property = Handler.NAME + "=" + TextClassifier.NAME)
public class TextClassifier implements Handler {

    /** The handler name archives refer to. */
    public static final String NAME = "text_classifier";

    static final String HF_HANDLER = "hf_sequence_classifier";
    static final String TOKENIZER_JSON = "tokenizer.json";

    private static final Logger LOG = LoggerFactory.getLogger(TextClassifier.class);

    @Reference(
            target = "(" + Handler.NAME + "=" + HF_HANDLER + ")",
            cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY,
            scope = ReferenceScope.PROTOTYPE_REQUIRED)
    private ComponentServiceObjects<Handler> hfClassifiers;

    private Handler delegate;
    private boolean delegateIsService;

    @Override
    public void initialize(Context context) throws Exception {
        if (Files.isRegularFile(context.modelDir().resolve(TOKENIZER_JSON))) {
            if (hfClassifiers == null) {
                throw new IllegalStateException("The archive holds " + TOKENIZER_JSON + ", which " + HF_HANDLER
                        + " reads, and no bundle provides it: deploy serval-handlers-hf (embedded, outside OSGi:"
                        + " load the model with the handler " + HF_HANDLER + ")");
            }
            delegate = hfClassifiers.getService();
            delegateIsService = true;
            LOG.info("Model {}: {} found, served by {}", context.modelName(), TOKENIZER_JSON, HF_HANDLER);
        } else {
            delegate = new WordPieceClassifier();
        }
        delegate.initialize(context);
    }

    @Override
    public List<Response> handle(List<Request> batch, Context context) throws Exception {
        return delegate.handle(batch, context);
    }

    @Override
    public void close() {
        if (delegate == null) {
            return;
        }
        try {
            delegate.close();
        } finally {
            if (delegateIsService) {
                hfClassifiers.ungetService(delegate);
            }
        }
    }
}
