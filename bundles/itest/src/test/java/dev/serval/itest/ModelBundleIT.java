package dev.serval.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.deploy.ModelBundles;
import dev.serval.serving.ServingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * A model shipped as an OSGi bundle serves while the bundle is active, is replaced without a gap
 * when the bundle is updated, and is gone once the bundle is uninstalled.
 */
class ModelBundleIT {

    private static final Path DIGITS = InFramework.MODELS.resolve("digits");

    @TempDir
    static Path work;

    private static InFramework osgi;
    private static byte[] digit;

    @BeforeAll
    static void start() throws Exception {
        osgi = InFramework.start(work);
        digit = Files.readAllBytes(DIGITS.resolve("images/digit_00_label5.png"));
    }

    @AfterAll
    static void stop() throws Exception {
        osgi.close();
    }

    @Test
    void modelBundleServesIsReplacedWithoutAGapAndGoes() throws Exception {
        Bundle bundle =
                osgi.context().installBundle("serval-test:digits-bundle", modelBundle("1.0", "convnet_digits.pt"));
        bundle.start();
        assertEquals("1.0", served().version());
        assertTrue(
                osgi.predict("bundled", digit).json().orElseThrow().toString().startsWith("{5="));

        List<Exception> failures = new ArrayList<>();
        AtomicBoolean updating = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (updating.get()) {
                try {
                    osgi.predict("bundled", digit);
                } catch (Exception e) {
                    failures.add(e);
                }
            }
        });
        client.start();
        bundle.update(modelBundle("2.0", "convnet_digits.onnx"));
        Thread.sleep(500);
        updating.set(false);
        client.join();

        assertEquals(List.of(), failures);
        assertEquals("2.0", served().version());
        assertEquals("OnnxRuntime", served().engine());

        bundle.uninstall();
        Thread.sleep(ModelBundles.UPDATE_GRACE_MS + 500);
        assertThrows(ServingException.class, ModelBundleIT::served);
    }

    private static dev.serval.serving.ModelVersion served() {
        return osgi.catalog.resolve("bundled", Optional.empty());
    }

    /** The digits model's files under {@code model/}, with the header that makes it a model bundle. */
    private static InputStream modelBundle(String version, String serializedFile) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test.models.digits");
        main.putValue("Bundle-Version", version);
        main.putValue(ModelBundles.HEADER, "model");
        Path jar = Files.createTempFile(work, "digits-", ".jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            String mar = """
                    {"runtime": "python", "model": {"modelName": "bundled", "serializedFile": "%s",
                     "handler": "image_classifier", "modelVersion": "%s"}}
                    """.formatted(serializedFile, version);
            add(out, "model/MAR-INF/MANIFEST.json", mar.getBytes());
            for (String name : List.of(serializedFile, "index_to_name.json", "model-config.yaml")) {
                add(out, "model/" + name, Files.readAllBytes(DIGITS.resolve(name)));
            }
        }
        return Files.newInputStream(jar);
    }

    private static void add(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
