package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only what TorchServe would certainly run as Python is refused; every other handler name may come from a bundle. */
class PythonArchivesTest {

    @TempDir
    Path tmp;

    private ModelArchive archive(String handler, String serializedFile, String modelFile, String... files)
            throws Exception {
        Map<String, String> entries = new HashMap<>();
        entries.put("MAR-INF/MANIFEST.json", """
                {"runtime":"python","model":{"modelName":"m","serializedFile":"%s","handler":"%s"%s}}
                """.formatted(
                        serializedFile, handler, modelFile == null ? "" : ",\"modelFile\":\"" + modelFile + "\""));
        entries.put(serializedFile, "weights");
        for (int i = 0; i < files.length; i += 2) {
            entries.put(files[i], files[i + 1]);
        }
        return ModelArchive.open(
                Zips.write(tmp.resolve("m" + entries.hashCode() + ".mar"), entries), tmp.resolve("work"));
    }

    private static void assertRefused(ModelArchive archive, String... said) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> PythonArchives.servable(archive));
        for (String words : said) {
            assertTrue(e.getMessage().contains(words), e.getMessage());
        }
        assertTrue(e.getMessage().contains(PythonArchives.GUIDE), e.getMessage());
        assertTrue(e.getMessage().contains("image_classifier, image_segmenter"), e.getMessage());
    }

    @Test
    void aHandlerThatIsAPythonFileIsRefused() throws Exception {
        assertRefused(
                archive("mnist_handler.py", "m.pt", null, "mnist_handler.py", "class H: pass"),
                "'mnist_handler.py' is Python code",
                "Java Handler");
        assertRefused(archive("handler.py:handle", "m.pt", null), "'handler.py:handle' is Python code");
        assertRefused(archive("handlers/custom.py", "m.pt", null), "Python code");
    }

    @Test
    void aHandlerNamedAfterAPythonFileOfTheArchiveIsRefused() throws Exception {
        assertRefused(archive("mnist_handler", "m.pt", null, "mnist_handler.py", "class H: pass"), "Python code");
        assertRefused(
                archive("entry:handle", "m.pt", null, "entry.py", "def handle(data, context): pass"), "Python code");
    }

    @Test
    void otherHandlerNamesMayBeJavaHandlersABundleProvidesLater() throws Exception {
        assertDoesNotThrow(() -> PythonArchives.servable(archive("mnist_handler", "m.pt", null)));
        assertDoesNotThrow(() -> PythonArchives.servable(archive("digits_preview", "m.onnx", null, "other.py", "")));
        // TorchServe's defaults are served by the built-in Java handlers, whatever .py rides along.
        assertDoesNotThrow(
                () -> PythonArchives.servable(archive("image_classifier", "m.pt", null, "image_classifier.py", "")));
    }

    @Test
    void torchServesOwnDefaultHandlerFilesNameTheBuiltInHandlers() throws Exception {
        assertEquals(
                "image_classifier",
                PythonArchives.servable(archive("serve/ts/torch_handler/image_classifier.py:handle", "m.pt", null))
                        .manifest()
                        .handler());
        assertEquals(
                "object_detector",
                PythonArchives.servable(archive("/opt/ts/torch_handler/object_detector.py", "m.pt", null))
                        .manifest()
                        .handler());
        assertRefused(archive("my/torch_handler/image_classifier.py", "m.pt", null), "Python code");
        assertRefused(archive("ts/torch_handler/base_handler.py", "m.pt", null), "Python code");
    }

    @Test
    void anEagerModelIsRefusedWithHowToExportIt() throws Exception {
        assertRefused(
                archive("image_classifier", "mnist_cnn.pt", "mnist.py", "mnist.py", "class Net: pass"),
                "mnist_cnn.pt with mnist.py is eager PyTorch",
                "torch.jit.trace",
                "torch.onnx.export");
        assertRefused(archive("image_classifier", "model.pth", null), "model.pth is eager PyTorch");
    }

    @Test
    void aPthFileAModelConfigNamesAnEngineForIsLoaded() throws Exception {
        assertDoesNotThrow(() -> PythonArchives.servable(
                archive("image_classifier", "model.pth", null, "model-config.yaml", "engine: PyTorch\n")));
    }
}
