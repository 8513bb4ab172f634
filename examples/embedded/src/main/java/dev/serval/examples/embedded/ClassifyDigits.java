package dev.serval.examples.embedded;

import dev.serval.handlers.image.ImageClassifier;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.EmbeddedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads handwritten digits in-process: loads the digits model (a {@code .mar} or model folder)
 * with the built-in image classifier and prints the top classes of each image.
 *
 * <pre>{@code java dev.serval.examples.embedded.ClassifyDigits MODEL IMAGE...}</pre>
 */
public final class ClassifyDigits {

    private ClassifyDigits() {}

    /**
     * @param args the model, then one or more PNG, JPEG or WebP images of digits
     * @throws Exception when the model cannot be loaded or an image read or classified
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClassifyDigits MODEL(.mar or folder) IMAGE...");
            System.exit(2);
        }
        // guide:begin embedded
        try (EmbeddedModel model = EmbeddedModel.builder(Path.of(args[0]))
                .handler(ImageClassifier::new)
                .batchSize(8)
                .maxBatchDelay(Duration.ofMillis(5))
                .load()) {
            // One request, waiting for its answer: {5=0.9798277, 9=0.016498977, ...}, highest first.
            Response response = model.predict(
                    Request.builder(Files.readAllBytes(Path.of(args[1]))).build());
            System.out.println(args[1] + ": " + response.json().orElseThrow());

            // The others at once: queued, and answered by the workers in batches of up to 8.
            Map<String, CompletableFuture<Response>> answers = new LinkedHashMap<>();
            for (String image : List.of(args).subList(2, args.length)) {
                answers.put(
                        image,
                        model.submit(Request.builder(Files.readAllBytes(Path.of(image)))
                                .build()));
            }
            answers.forEach((image, answer) ->
                    System.out.println(image + ": " + answer.join().json().orElseThrow()));
        }
        // guide:end embedded
    }
}
