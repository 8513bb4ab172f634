package dev.serval.examples.embedded;

import dev.serval.handlers.image.ImageClassifier;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import dev.serval.serving.EmbeddedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads handwritten digits in-process: loads the digits model (a {@code .mar} or model folder)
 * with the built-in image classifier and prints the top classes of each image.
 *
 * <pre>{@code java dev.serval.examples.embedded.ClassifyDigits MODEL IMAGE...}</pre>
 */
public final class ClassifyDigits {

    private ClassifyDigits() {
    }

    /**
     * @param args the model, then one or more PNG, JPEG or WebP images of digits
     * @throws Exception when the model cannot be loaded or an image read or classified
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ClassifyDigits MODEL(.mar or folder) IMAGE...");
            System.exit(2);
        }
        Path archive = Path.of(args[0]);
        List<Path> images = List.of(args).subList(1, args.length).stream().map(Path::of).toList();
        // embedded:begin
        try (EmbeddedModel model = EmbeddedModel.builder(archive).handler(ImageClassifier::new)
                .batchSize(8).maxBatchDelay(Duration.ofMillis(5)).load()) {
            // One request, waiting for its answer: {5=0.9798, 9=0.0165, ...}, highest first.
            Response first = model.predict(Request.builder(Files.readAllBytes(images.get(0))).build());
            System.out.println(images.get(0).getFileName() + ": " + first.json().orElseThrow());

            // Many at once: queued, and answered by the workers in batches of up to 8.
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (Path image : images) {
                answers.add(model.submit(Request.builder(Files.readAllBytes(image)).build()));
            }
            for (int i = 0; i < images.size(); i++) {
                System.out.println(images.get(i).getFileName() + ": " + answers.get(i).join().json().orElseThrow());
            }
        }
        // embedded:end
    }
}
