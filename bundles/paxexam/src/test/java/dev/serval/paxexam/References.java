package dev.serval.paxexam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.DoubleStream;
import java.util.stream.StreamSupport;

/**
 * The reference models of {@code distribution/models} and the numbers PyTorch gave for them in
 * their {@code reference.json}, which the handlers are held to.
 */
final class References {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODELS = Path.of(System.getProperty("serval.models", "../../distribution/models"));

    private References() {}

    /** @return the reference model's folder */
    static Path model(String name) {
        return MODELS.resolve(name).toAbsolutePath().normalize();
    }

    /** @return the reference model's first case */
    static JsonNode firstCase(String name) throws IOException {
        return JSON.readTree(model(name).resolve("reference.json").toFile())
                .get("cases")
                .get(0);
    }

    /** @return the bytes of the case's input file */
    static byte[] input(String name, JsonNode testCase) throws IOException {
        return Files.readAllBytes(model(name).resolve(testCase.get("file").asText()));
    }

    /** @return the softmax of a case's {@code log_probs} or {@code logits}: the probabilities the handlers answer */
    static double[] softmax(JsonNode scores) {
        double[] exp = StreamSupport.stream(scores.spliterator(), false)
                .mapToDouble(s -> Math.exp(s.asDouble()))
                .toArray();
        double sum = DoubleStream.of(exp).sum();
        return DoubleStream.of(exp).map(e -> e / sum).toArray();
    }

    /** @return a handler's JSON answer as a tree */
    static JsonNode tree(Object answer) {
        return JSON.valueToTree(answer);
    }
}
