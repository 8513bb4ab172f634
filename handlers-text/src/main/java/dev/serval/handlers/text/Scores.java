package dev.serval.handlers.text;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** TorchServe's classification answer: softmax over the logits, labels by probability, highest first. */
final class Scores {

    private Scores() {}

    /**
     * @param logits the logits of a batch, row after row
     * @param row the text's row
     * @param classes logits per row
     * @param labels the class names
     * @param topK how many classes to answer
     * @return label to probability, highest first
     */
    static Map<String, Float> ranked(float[] logits, int row, int classes, Labels labels, int topK) {
        double[] probabilities = softmax(logits, row * classes, classes);
        Map<String, Float> ranked = new LinkedHashMap<>();
        IntStream.range(0, classes)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> probabilities[c])
                        .reversed())
                .limit(topK)
                .forEach(c -> ranked.put(labels.name(c), (float) probabilities[c]));
        return ranked;
    }

    /** In Java, not on the NDArray: ONNX Runtime's arrays have no softmax of their own. */
    private static double[] softmax(float[] logits, int offset, int length) {
        double max = IntStream.range(offset, offset + length)
                .mapToDouble(i -> logits[i])
                .max()
                .orElse(0);
        double[] exp = IntStream.range(offset, offset + length)
                .mapToDouble(i -> Math.exp(logits[i] - max))
                .toArray();
        double sum = Arrays.stream(exp).sum();
        return Arrays.stream(exp).map(e -> e / sum).toArray();
    }
}
