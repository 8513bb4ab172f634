package dev.serval.sdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.serval.sdk.Context;
import dev.serval.sdk.Handler;
import dev.serval.sdk.HandlerException;
import dev.serval.sdk.Request;
import dev.serval.sdk.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test kit loads archives as the server does and runs handlers as its workers do. */
class TestModelTest {

    private static final Path DIGITS = Path.of(System.getProperty("serval.models", "../../distribution/models"))
            .resolve("digits");

    /** Answers each request with the model's output shape for a blank 28×28 image. */
    private static final class ShapeHandler implements Handler {
        Context initializedWith;

        @Override
        public void initialize(Context context) {
            initializedWith = context;
        }

        @Override
        public List<Response> handle(List<Request> batch, Context context) throws Exception {
            if (batch.get(0).body().length == 0) {
                throw HandlerException.badRequest("empty body");
            }
            try (NDManager manager = context.model().getNDManager().newSubManager()) {
                NDList output =
                        context.predictor().predict(new NDList(manager.zeros(new Shape(batch.size(), 1, 28, 28))));
                return batch.stream()
                        .map(r -> Response.json(
                                output.singletonOrThrow().getShape().toString()))
                        .toList();
            }
        }
    }

    @Test
    void aFolderIsServedWithTheServersContext() throws Exception {
        try (TestModel model = TestModel.load(DIGITS);
                TestWorker<ShapeHandler> worker = model.start(new ShapeHandler())) {
            Context context = worker.context();
            assertSame(context, worker.handler().initializedWith);
            assertEquals("digits", context.modelName());
            assertEquals("1.0", context.modelVersion());
            assertEquals("image_classifier", context.manifest().handler());
            assertEquals(DIGITS, context.modelDir());
            assertEquals(List.of(28, 28), context.config().getInts("resize").orElseThrow());
            assertEquals(1, context.batchSize());
            assertEquals("Serval", context.systemProperties().get("server_name"));
            assertEquals(DIGITS.toString(), context.systemProperties().get("model_dir"));
            assertEquals("PyTorch", model.engine());

            assertEquals("(1, 10)", worker.handle(request("x")).json().orElseThrow());
            assertEquals(
                    List.of("(2, 10)", "(2, 10)"),
                    worker.handle(List.of(request("a"), request("b"))).stream()
                            .map(r -> r.json().orElseThrow())
                            .toList());
            assertEquals(
                    400,
                    assertThrows(HandlerException.class, () -> worker.handle(request("")))
                            .status());
        }
    }

    @Test
    void aMarIsExtractedAndItsFolderRemovedOnClose(@TempDir Path dir) throws Exception {
        Path mar = zip(
                DIGITS,
                dir.resolve("digits.mar"),
                "MAR-INF/MANIFEST.json",
                "convnet_digits.pt",
                "convnet_digits.onnx",
                "model-config.yaml",
                "index_to_name.json");
        Path extracted;
        try (TestModel model = TestModel.load(mar, "convnet_digits.onnx");
                TestWorker<ShapeHandler> worker = model.start(new ShapeHandler())) {
            extracted = worker.context().modelDir();
            assertNotEquals(mar, extracted);
            assertTrue(Files.isRegularFile(extracted.resolve("convnet_digits.onnx")));
            assertEquals("OnnxRuntime", model.engine());
            assertEquals("convnet_digits.onnx", worker.context().manifest().serializedFile());
            assertEquals("(1, 10)", worker.handle(request("x")).json().orElseThrow());
        }
        assertFalse(Files.exists(extracted));
    }

    @Test
    void whatTheServerRefusesIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> TestModel.load(dir.resolve("nothing.mar")));
        assertTrue(missing.getMessage().contains("Model artifact not found"), missing.getMessage());

        IllegalArgumentException noFile =
                assertThrows(IllegalArgumentException.class, () -> TestModel.load(DIGITS, "model.onnx"));
        assertTrue(
                noFile.getMessage().contains("serializedFile is not in the archive: model.onnx"), noFile.getMessage());

        Path badConfig = Files.createDirectories(dir.resolve("bad"));
        copy(DIGITS, badConfig, "MAR-INF/MANIFEST.json", "convnet_digits.pt");
        Files.writeString(badConfig.resolve("model-config.yaml"), "batchSize: many\n");
        IllegalArgumentException config = assertThrows(IllegalArgumentException.class, () -> TestModel.load(badConfig));
        assertTrue(config.getMessage().contains("batchSize must be a whole number"), config.getMessage());
    }

    @Test
    void aHandlerMustAnswerEveryRequest() throws Exception {
        try (TestModel model = TestModel.load(DIGITS);
                TestWorker<Handler> worker = model.start((batch, context) -> List.of())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> worker.handle(request("x")));
            assertTrue(e.getMessage().contains("0 responses for a batch of 1"), e.getMessage());
        }
    }

    private static Request request(String body) {
        return Request.builder(body.getBytes()).build();
    }

    private static void copy(Path from, Path to, String... files) throws IOException {
        for (String file : files) {
            Files.createDirectories(to.resolve(file).getParent());
            Files.copy(from.resolve(file), to.resolve(file));
        }
    }

    private static Path zip(Path from, Path mar, String... files) throws IOException {
        try (OutputStream out = Files.newOutputStream(mar);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String file : Stream.of(files).toList()) {
                zip.putNextEntry(new ZipEntry(file));
                Files.copy(from.resolve(file), zip);
                zip.closeEntry();
            }
        }
        return mar;
    }
}
