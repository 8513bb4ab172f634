package dev.serval.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier's class names by class index, and TorchServe's classification answer: the
 * {@code k} most probable classes by name, {@code {"tabby": 0.91, "tiger_cat": 0.05}}, highest
 * first. A class without a name is answered by its index, as TorchServe answers it.
 *
 * <pre>{@code
 * Labels labels = Labels.read(context.modelDir());              // in initialize
 * Map<String, Float> answer = labels.top(logits, row * classes, classes, 5);  // in postprocess
 * }</pre>
 */
public final class Labels {

    /**
     * TorchServe's file of class names in a model folder: {@code {"0": "cat", "1": "dog"}}, or
     * torchvision's {@code {"0": ["n01440764", "tench"]}} pairs, whose last element is the name.
     */
    public static final String INDEX_TO_NAME = "index_to_name.json";

    private static final Labels NONE = new Labels(Map.of());

    private final Map<String, String> names;
    // The names of classes 0 to n - 1 looked up once: a request's answer named five classes,
    // each through a new decimal string.
    private final String[] byIndex;

    private Labels(Map<String, String> names) {
        this.names = names;
        this.byIndex = new String[names.size()];
        for (int i = 0; i < byIndex.length; i++) {
            byIndex[i] = names.get(Integer.toString(i));
        }
    }

    /**
     * @param names class names by class index written in decimal, as Hugging Face's
     *     {@code id2label} gives them
     * @return those labels
     */
    public static Labels of(Map<String, String> names) {
        return new Labels(Map.copyOf(names));
    }

    /**
     * @param modelDir a model folder
     * @return the names of its {@value #INDEX_TO_NAME}; none (every class answered by its index)
     *     when it has no such file
     * @throws IOException when the file cannot be read, or is not a JSON object whose values are
     *     names or pairs ending with one
     */
    public static Labels read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(INDEX_TO_NAME);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        Map<String, Object> parsed = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() {});
        Map<String, String> names = new HashMap<>();
        for (Map.Entry<String, Object> entry : parsed.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof List<?> pair && !pair.isEmpty() && pair.get(pair.size() - 1) instanceof String name) {
                names.put(entry.getKey(), name);
            } else if (value instanceof String name) {
                names.put(entry.getKey(), name);
            } else {
                throw new IOException(INDEX_TO_NAME + ": class " + entry.getKey()
                        + " must be a name or a list ending with one, not " + value);
            }
        }
        return new Labels(names);
    }

    /**
     * @param index a class index
     * @return its name, or the index in decimal when it has none
     */
    public String name(int index) {
        if (index >= 0 && index < byIndex.length && byIndex[index] != null) {
            return byIndex[index];
        }
        String name = names.get(Integer.toString(index));
        return name == null ? Integer.toString(index) : name;
    }

    /**
     * TorchServe's classification answer for one row of a classifier's output: softmax over the
     * row's logits, then the {@code k} most probable classes. Equal probabilities keep the class
     * order.
     *
     * @param logits the model's output, one row of {@code classes} logits per input, row after row
     * @param offset where the row starts in {@code logits}
     * @param classes the row's length
     * @param k how many classes to answer; all of them when it is {@code classes} or more
     * @return class name to probability, highest first
     */
    public Map<String, Float> top(float[] logits, int offset, int classes, int k) {
        if (k <= 0 || classes <= 0) {
            return Map.of();
        }
        double[] probabilities = softmax(logits, offset, classes);
        int[] best = new int[Math.min(k, classes)];
        int kept = 0;
        for (int c = 0; c < classes; c++) {
            // Insertion into the k best so far: k is small (5 by default), classes may be 1000s.
            if (kept == best.length && probabilities[c] <= probabilities[best[kept - 1]]) {
                continue;
            }
            int at = kept == best.length ? kept - 1 : kept++;
            while (at > 0 && probabilities[best[at - 1]] < probabilities[c]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = c;
        }
        Map<String, Float> answer = new LinkedHashMap<>();
        for (int i = 0; i < kept; i++) {
            answer.put(name(best[i]), (float) probabilities[best[i]]);
        }
        return answer;
    }

    /** In Java, not on the NDArray: ONNX Runtime's arrays have no softmax of their own. */
    private static double[] softmax(float[] logits, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] probabilities = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            probabilities[i] = Math.exp(logits[offset + i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < length; i++) {
            probabilities[i] /= sum;
        }
        return probabilities;
    }
}
