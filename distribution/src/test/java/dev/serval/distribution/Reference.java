package dev.serval.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A reference model's {@code reference.json}: the numbers PyTorch gave, which the tests hold Serval to. */
final class Reference {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Reference() {
    }

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
}
