package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.jar.JarFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example handler bundles, as built, dropped into deploy/ of a running server with archives
 * made by {@code bin/serval archive}: digits_preview with a {@code .mar}, checksum with a model
 * bundle. The two bundles embed two versions of Commons Codec and serve side by side.
 */
class CustomHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of(System.getProperty("serval.examples", "target/example-bundles"));
    private static final Path PREVIEW_BUNDLE = EXAMPLES.resolve("digits-preview-handler.jar");
    private static final Path CHECKSUM_BUNDLE = EXAMPLES.resolve("checksum-handler.jar");

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static byte[] digit;

    @BeforeAll
    static void deploy() throws Exception {
        server = ServerProcess.start(root, Files.createDirectories(root.resolve("store")));
        digit = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        Path archives = Files.createDirectories(root.resolve("archives"));
        Archives.archive(
                archives,
                "preview",
                "1.0",
                "convnet_digits.pt",
                "digits_preview",
                "--config-file",
                Archives.DIGITS.resolve("model-config.yaml").toString());
        Archives.archive(archives, "checksum", "2.0", "convnet_digits.onnx", "checksum", "--format", "bundle");

        long start = System.nanoTime();
        Files.copy(PREVIEW_BUNDLE, server.deployDir.resolve(PREVIEW_BUNDLE.getFileName()));
        Files.copy(CHECKSUM_BUNDLE, server.deployDir.resolve(CHECKSUM_BUNDLE.getFileName()));
        Files.move(archives.resolve("preview.mar"), server.deployDir.resolve("preview.mar"));
        Files.move(archives.resolve("checksum.jar"), server.deployDir.resolve("checksum.jar"));
        ServerProcess.waitFor(() -> predict("preview") == 200 && predict("checksum") == 200);
        System.out.printf(
                "CustomHandlerIT: 2 handler bundles and 2 archives dropped into deploy/ served after %d ms%n",
                (System.nanoTime() - start) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void digitsPreviewAnswersTheDigitAndTheImageTheModelSaw() throws Exception {
        JsonNode answer = JSON.readTree(
                server.predict("/predictions/preview", digit, "POST").body());

        assertEquals("5", answer.get("digit").asText());
        assertTrue(answer.get("probability").asDouble() > 0.99, answer.toString());
        String preview = answer.get("preview").asText();
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(preview.substring("data:image/png;base64,".length()))));
        assertEquals(28, png.getWidth());
        assertEquals(28, png.getHeight());

        JsonNode model = JSON.readTree(
                        server.get(server.managementPort, "/models/preview").body())
                .get(0);
        assertEquals("PyTorch", model.get("engine").asText());
        assertEquals("preview.mar", model.get("modelUrl").asText());

        // The handler's own describe data (TorchServe's describe_handle), from one of its workers.
        JsonNode customized = JSON.readTree(server.get(server.managementPort, "/models/preview?customized=true")
                        .body())
                .get(0)
                .get("customizedMetadata");
        assertEquals(0.1302, customized.get("mean").asDouble(), 1e-6, customized.toString());
        assertEquals(0.3069, customized.get("std").asDouble(), 1e-6, customized.toString());
    }

    @Test
    void twoBundlesOnTwoVersionsOfOneLibraryServeSideBySide() throws Exception {
        JsonNode preview = JSON.readTree(
                server.predict("/predictions/preview", digit, "POST").body());
        JsonNode checksum = JSON.readTree(
                server.predict("/predictions/checksum", digit, "POST").body());
        // Both hashed the same bytes, each with its own Commons Codec.
        assertEquals(preview.get("sha256").asText(), checksum.get("sha256").asText());
        assertEquals(digit.length, checksum.get("bytes").asInt());

        try (JarFile newer = new JarFile(PREVIEW_BUNDLE.toFile());
                JarFile older = new JarFile(CHECKSUM_BUNDLE.toFile())) {
            for (JarFile bundle : new JarFile[] {newer, older}) {
                assertNotNull(bundle.getEntry("org/apache/commons/codec/digest/DigestUtils.class"), bundle.getName());
                String imports = bundle.getManifest().getMainAttributes().getValue("Import-Package");
                assertFalse(imports.contains("org.apache.commons.codec"), "private, not imported: " + imports);
                assertNull(bundle.getManifest().getMainAttributes().getValue("Export-Package"), bundle.getName());
            }
            // Blake3 came with Commons Codec 1.16: in the 1.17.1 copy, not in the 1.15 one.
            assertNotNull(newer.getEntry("org/apache/commons/codec/digest/Blake3.class"));
            assertNull(older.getEntry("org/apache/commons/codec/digest/Blake3.class"));
        }
    }

    private static int predict(String model) throws Exception {
        return server.predict("/predictions/" + model, digit, "POST").statusCode();
    }
}
