package dev.serval.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Model archives broken in each way an archive can be, for the register call to refuse. */
final class BadArchives {

    /** Archive file name → what is wrong with it. */
    static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("zipslip.mar", "an entry escaping the archive folder");
        NAMES.put("nomanifest.mar", "no MAR-INF/MANIFEST.json");
        NAMES.put("badmanifest.mar", "a malformed manifest");
        NAMES.put("missingfile.mar", "a manifest naming a missing file");
        NAMES.put("corruptpt.mar", "a corrupt .pt");
        NAMES.put("badonnx.mar", "an .onnx that fails to load");
        NAMES.put("notazip.mar", "not a zip at all");
        // Issue 17, part 4: the manifest's model name follows the same rule as a register call's.
        NAMES.put("pathname.mar", "a manifest whose model name is a path");
    }

    private BadArchives() {}

    static void writeAll(Path store) throws IOException {
        Archives.zip(
                store.resolve("zipslip.mar"),
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest("zipslip", "convnet_digits.pt"),
                        "../../evil.txt", "pwned".getBytes()));
        Archives.zip(store.resolve("nomanifest.mar"), Map.of("convnet_digits.pt", new byte[] {1, 2, 3}));
        Archives.zip(store.resolve("badmanifest.mar"), Map.of("MAR-INF/MANIFEST.json", "{\"model\": ".getBytes()));
        Archives.zip(
                store.resolve("missingfile.mar"), Map.of("MAR-INF/MANIFEST.json", manifest("missing", "absent.pt")));
        Archives.zip(
                store.resolve("corruptpt.mar"),
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest("corruptpt", "model.pt"),
                        "model.pt", "not torchscript".getBytes()));
        Archives.zip(
                store.resolve("badonnx.mar"),
                Map.of(
                        "MAR-INF/MANIFEST.json", manifest("badonnx", "model.onnx"),
                        "model.onnx", "not onnx".getBytes()));
        Files.write(store.resolve("notazip.mar"), "just text".getBytes());
        // A model that loads: only its name is wrong.
        Archives.digits(store.resolve("pathname.mar"), "../pathname", "1.0", "convnet_digits.pt", "image_classifier");
    }

    private static byte[] manifest(String name, String file) {
        return ("{\"runtime\": \"python\", \"model\": {\"modelName\": \"" + name + "\", \"serializedFile\": \"" + file
                        + "\", \"handler\": \"image_classifier\", \"modelVersion\": \"1.0\"}}")
                .getBytes();
    }
}
