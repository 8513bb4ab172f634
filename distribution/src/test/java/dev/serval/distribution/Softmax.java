package dev.serval.distribution;

import com.fasterxml.jackson.databind.JsonNode;

/** What the reference files' scores become once a handler answers them as probabilities. */
final class Softmax {

    private Softmax() {
    }

    /**
     * @param scores logits or log-probabilities, as a JSON array
     * @return softmax(scores)
     */
    static double[] of(JsonNode scores) {
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
}
