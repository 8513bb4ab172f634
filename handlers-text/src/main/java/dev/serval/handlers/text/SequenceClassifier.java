package dev.serval.handlers.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.serval.sdk.Context;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Labels;
import dev.serval.sdk.ModelConfig;
import dev.serval.sdk.ModelHandler;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A text classifier in TorchServe's form: each request's text is tokenized, the batch is padded to
 * its longest text with an attention mask, the model's logits go through a softmax, and the answer
 * is {@code {"label": probability}} for every label, highest first. Subclasses bring the tokenizer.
 *
 * <p>Model-config keys under {@code handler:}: {@code max_length} (tokens a text is cut to; at
 * most, and by default, {@code max_position_embeddings} of {@code config.json}, else
 * {@value #DEFAULT_MAX_LENGTH}), {@code max_characters} (characters a text is cut to before it
 * is tokenized; by default {@value #CHARACTERS_PER_TOKEN} per token of {@code max_length}) and
 * {@code topk} (labels answered; all by default). A request's {@code ?topk=} overrides
 * {@code topk}.
 */
public abstract class SequenceClassifier extends ModelHandler {

    /** BERT's length, for models whose {@code config.json} does not say. */
    public static final int DEFAULT_MAX_LENGTH = 512;

    /**
     * Characters per token of {@code max_length} kept before tokenizing. A token covers a few
     * characters of real text (4 to 5 in English, 1 or 2 in Chinese), so the first
     * {@code max_length} tokens lie well inside this many; what lies beyond them would be
     * tokenized only to be cut, and a tokenizer takes time and memory in proportion to its input
     * (a 6 MB text took 10 s and 2 GB).
     */
    static final int CHARACTERS_PER_TOKEN = 64;

    private static final String TOPK = "topk";

    private TextTokenizer tokenizer;
    private int maxCharacters;
    private Labels labels;
    private int topK;

    @Override
    public void initialize(Context context) throws Exception {
        HfModelConfig modelConfig = HfModelConfig.read(context.modelDir());
        labels = modelConfig.id2label().isEmpty() ? Labels.read(context.modelDir()) : Labels.of(modelConfig.id2label());
        topK = context.config().getInt(TOPK, Integer.MAX_VALUE);
        int maxLength = maxLength(context.config(), modelConfig);
        maxCharacters = maxCharacters(context.config(), maxLength);
        tokenizer = openTokenizer(context, maxLength);
    }

    /**
     * @param context the model the tokenizer serves
     * @param maxLength the most tokens a text may have; longer ones are cut, not refused
     * @return the model's tokenizer, closed with the handler
     * @throws Exception when the archive's tokenizer files are missing or malformed
     */
    protected abstract TextTokenizer openTokenizer(Context context, int maxLength) throws Exception;

    /** Position embeddings end at the model's maximum: beyond it the model would fail, not cut. */
    static int maxLength(ModelConfig config, HfModelConfig modelConfig) {
        int positions = modelConfig.maxPositionEmbeddings().orElse(DEFAULT_MAX_LENGTH);
        int maxLength = Math.min(config.getInt("max_length", positions), positions);
        if (maxLength < 1) {
            throw new IllegalArgumentException("model-config.yaml: handler.max_length must be at least 1");
        }
        return maxLength;
    }

    /** A text is cut to this many characters before it is tokenized: the tokenizer's work is bounded. */
    static int maxCharacters(ModelConfig config, int maxLength) {
        int maxCharacters = config.getInt(
                "max_characters", (int) Math.min(Integer.MAX_VALUE, (long) CHARACTERS_PER_TOKEN * maxLength));
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("model-config.yaml: handler.max_characters must be at least 1");
        }
        return maxCharacters;
    }

    @Override
    protected NDList preprocess(List<Request> batch, NDManager manager, Context context) throws HandlerException {
        List<long[]> sequences = new ArrayList<>(batch.size());
        for (Request request : batch) {
            long[] ids = tokenizer.encode(TextInput.of(request, maxCharacters));
            if (ids.length == 0) {
                throw HandlerException.badRequest("The text has no tokens the model can read");
            }
            sequences.add(ids);
        }
        return TokenBatch.pad(sequences).toNDList(manager);
    }

    @Override
    protected List<Response> postprocess(NDList output, List<Request> batch, Context context) throws HandlerException {
        // The first output: Transformers' models return the logits first, then any hidden states.
        float[] logits = output.get(0).toFloatArray();
        int classes = logits.length / batch.size();
        List<Response> responses = new ArrayList<>(batch.size());
        for (int row = 0; row < batch.size(); row++) {
            responses.add(Response.json(labels.top(logits, row * classes, classes, topK(batch.get(row)))));
        }
        return responses;
    }

    private int topK(Request request) throws HandlerException {
        Optional<String> value = request.queryParameter(TOPK);
        if (value.isEmpty()) {
            return topK;
        }
        try {
            int k = Integer.parseInt(value.get().trim());
            if (k >= 1) {
                return k;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw HandlerException.badRequest("topk must be a whole number of at least 1, not '" + value.get() + "'");
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
