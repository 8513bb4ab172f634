package dev.serval.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A reference model's {@code reference.json}: the numbers PyTorch gave, which the tests hold Serval to. */
final class Reference {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The digits' PNGs are 28×28 already; the JPEGs are 84×84 and go through the antialiased resize. */
    private static final double PNG_TOLERANCE = 1e-4;

    private static final double JPEG_TOLERANCE = 0.02;
    /** The text classifiers' probabilities against PyTorch's and the tokenizers'. */
    private static final double PROBABILITY_TOLERANCE = 1e-4;

    private Reference() {}

    /**
     * @param modelDir a reference model's folder
     * @return its cases, each naming its input {@code file} and what PyTorch answered
     */
    static List<JsonNode> cases(Path modelDir) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        JSON.readTree(modelDir.resolve("reference.json").toFile()).get("cases").forEach(cases::add);
        return cases;
    }

    /** @return the bytes of the case's input file */
    static byte[] input(Path modelDir, JsonNode testCase) throws IOException {
        return Files.readAllBytes(modelDir.resolve(testCase.get("file").asText()));
    }

    /**
     * @param scores a case's {@code log_probs} or {@code logits}
     * @return their softmax: the probabilities the handlers answer
     */
    static double[] softmax(JsonNode scores) {
        double[] p = new double[scores.size()];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(scores.get(i).asDouble());
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * @param testCase a case of the digits' reference
     * @param answer the image classifier's answer to its input: the top classes, best first, and
     *     their probabilities
     * @return how the answer differs from PyTorch's: another top class, or a probability away from
     *     softmax(reference log-probabilities); empty when it agrees
     */
    static List<String> digitMismatches(JsonNode testCase, JsonNode answer) {
        List<String> failures = new ArrayList<>();
        String file = testCase.get("file").asText();
        double[] expected = softmax(testCase.get("log_probs"));
        double tolerance = file.endsWith(".png") ? PNG_TOLERANCE : JPEG_TOLERANCE;
        String top = answer.fieldNames().hasNext() ? answer.fieldNames().next() : null;
        if (!String.valueOf(testCase.get("pred").asInt()).equals(top)) {
            failures.add(file + ": top class " + top + ", reference " + testCase.get("pred"));
        }
        answer.fields().forEachRemaining(entry -> {
            double want = expected[Integer.parseInt(entry.getKey())];
            double got = entry.getValue().asDouble();
            if (Math.abs(want - got) > tolerance) {
                failures.add(file + ": class " + entry.getKey() + " " + got + ", reference " + want);
            }
        });
        return failures;
    }

    /**
     * @param testCase a case of the reviews model's reference
     * @param answer a text classifier's answer to its text: the probability of each label
     * @return how the answer differs from PyTorch's probabilities (a label missing, or one further
     *     than {@value #PROBABILITY_TOLERANCE} away); empty when it agrees
     */
    static List<String> reviewMismatches(JsonNode testCase, JsonNode answer) {
        List<String> failures = new ArrayList<>();
        testCase.get("probabilities").fields().forEachRemaining(label -> {
            JsonNode got = answer.get(label.getKey());
            if (got == null || Math.abs(got.asDouble() - label.getValue().asDouble()) > PROBABILITY_TOLERANCE) {
                failures.add(label.getKey() + " " + got + ", reference " + label.getValue() + " in " + answer);
            }
        });
        return failures;
    }

    /**
     * @param npy a float32 {@code .npy} file of format version 1
     * @return its values: after the header, little-endian
     */
    static float[] npyFloats(Path npy) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = buffer.getShort(8);
        buffer.position(10 + headerLength);
        float[] values = new float[buffer.remaining() / Float.BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }
}
