package dev.serval.handlers.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * The token ids of several texts as one model input: {@code input_ids} and {@code attention_mask},
 * int64 {@code [texts, longest]}, shorter texts padded on the right and masked out.
 */
public final class TokenBatch {

    /** The token ids' input name in Hugging Face models, which ONNX Runtime matches the arrays by. */
    public static final String INPUT_IDS = "input_ids";
    /** The attention mask's input name in Hugging Face models. */
    public static final String ATTENTION_MASK = "attention_mask";

    private final long[] ids;
    private final long[] mask;
    private final Shape shape;

    private TokenBatch(long[] ids, long[] mask, Shape shape) {
        this.ids = ids;
        this.mask = mask;
        this.shape = shape;
    }

    /**
     * @param sequences the token ids of each text, none empty
     * @return the batch, padded to the longest sequence
     */
    public static TokenBatch pad(List<long[]> sequences) {
        int longest = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        // Padding stays 0 in both: masked out, the pad id never reaches the logits.
        long[] ids = new long[sequences.size() * longest];
        long[] mask = new long[ids.length];
        for (int row = 0; row < sequences.size(); row++) {
            long[] sequence = sequences.get(row);
            int offset = row * longest;
            System.arraycopy(sequence, 0, ids, offset, sequence.length);
            Arrays.fill(mask, offset, offset + sequence.length, 1L);
        }
        return new TokenBatch(ids, mask, new Shape(sequences.size(), longest));
    }

    /** @return {@code [texts, longest]} */
    public Shape shape() {
        return shape;
    }

    /**
     * @param manager owns the arrays
     * @return {@code input_ids} and {@code attention_mask}, named, in the order models take them
     */
    public NDList toNDList(NDManager manager) {
        NDArray inputIds = manager.create(ids, shape);
        inputIds.setName(INPUT_IDS);
        NDArray attentionMask = manager.create(mask, shape);
        attentionMask.setName(ATTENTION_MASK);
        return new NDList(inputIds, attentionMask);
    }
}
