package dev.serval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serval.handlers.hf.HfSequenceClassifier;
import dev.serval.handlers.image.ImageClassifier;
import dev.serval.sdk.Handler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A model under test: a reference model folder, the serialized file to run, the handler the
 * server would run it with, and the inputs.
 *
 * @param name the name it is served under
 * @param folder the reference model folder
 * @param serializedFile the {@code .pt} or {@code .onnx} file in it
 * @param handler makes a new, uninitialized handler (one per worker or raw thread)
 * @param inputs the request bodies, sent in turn
 */
record Workload(String name, Path folder, String serializedFile, Supplier<Handler> handler, List<Input> inputs) {

    /**
     * @param models the reference models folder ({@code distribution/models})
     * @return the digits ConvNet on TorchScript and ONNX Runtime, and DistilBERT on TorchScript
     * @throws IOException when the reference inputs cannot be read
     */
    static List<Workload> all(Path models) throws IOException {
        Path digits = models.resolve("digits");
        Path reviews = models.resolve("reviews_distilbert");
        List<Input> images = images(digits.resolve("images"));
        List<Input> texts = texts(reviews.resolve("reference.json"));
        // hf_sequence_classifier is what text_classifier hands an archive with tokenizer.json to.
        return List.of(
                new Workload("digits_pt", digits, "convnet_digits.pt", ImageClassifier::new, images),
                new Workload("digits_onnx", digits, "convnet_digits.onnx", ImageClassifier::new, images),
                new Workload("distilbert_pt", reviews, "reviews_distilbert.pt", HfSequenceClassifier::new, texts));
    }

    /**
     * @param other another name
     * @return the same model served under that name, as a copy of it in a model store would be
     */
    Workload named(String other) {
        return new Workload(other, folder, serializedFile, handler, inputs);
    }

    /**
     * @param dir a folder of PNG and JPEG files
     * @return them as requests, by name
     * @throws IOException when one cannot be read
     */
    static List<Input> images(Path dir) throws IOException {
        return images(dir, "*");
    }

    /**
     * @param dir a folder of PNG and JPEG files
     * @param glob the names to take, e.g. {@code scene_??.png} to leave out the masks beside them
     * @return them as requests, by name
     * @throws IOException when one cannot be read
     */
    static List<Input> images(Path dir, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> matching = Files.newDirectoryStream(dir, glob)) {
            matching.forEach(files::add);
        }
        List<Input> inputs = new ArrayList<>();
        for (Path file : files.stream().sorted().toList()) {
            String type = file.toString().endsWith(".png") ? "image/png" : "image/jpeg";
            inputs.add(new Input(Files.readAllBytes(file), type));
        }
        return inputs;
    }

    /**
     * @param reference a {@code reference.json} with a {@code text} in each of its {@code cases}
     * @return the texts as requests
     * @throws IOException when it cannot be read
     */
    static List<Input> texts(Path reference) throws IOException {
        List<Input> inputs = new ArrayList<>();
        for (JsonNode item : new ObjectMapper().readTree(reference.toFile()).path("cases")) {
            inputs.add(new Input(item.path("text").asText().getBytes(StandardCharsets.UTF_8), "text/plain"));
        }
        return inputs;
    }
}
