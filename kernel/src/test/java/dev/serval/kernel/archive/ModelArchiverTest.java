package dev.serval.kernel.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.ArchiveManifest;
import dev.serval.serving.ModelArchive;
import dev.serval.serving.ServerVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serval archive writes what torch-model-archiver writes, and what the server reads back. */
class ModelArchiverTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 23, 9, 5, 0);

    /**
     * What torch-model-archiver 0.12 writes for these options: its Manifest and Model dictionaries
     * (model_archiver/manifest_components) passed through Python's json.dumps(indent=2).
     */
    private static final String TORCH_MODEL_ARCHIVER_MANIFEST = """
            {
              "createdOn": "23/11/2026 09:05:00",
              "runtime": "python",
              "model": {
                "modelName": "digits",
                "serializedFile": "convnet_digits.pt",
                "handler": "digits_preview",
                "modelVersion": "1.0",
                "configFile": "model-config.yaml"
              },
              "archiverVersion": "%s"
            }""".formatted(ServerVersion.CURRENT);

    @TempDir
    Path dir;

    private Path model;
    private Path config;
    private Path out;

    @BeforeEach
    void files() throws IOException {
        model = Files.write(dir.resolve("convnet_digits.pt"), new byte[] {1, 2, 3});
        config = Files.writeString(dir.resolve("model-config.yaml"), "batchSize: 4\nhandler:\n  topk: 3\n");
        Files.writeString(dir.resolve("index_to_name.json"), "{\"0\": \"zero\"}");
        Files.createDirectories(dir.resolve("assets/fonts"));
        Files.writeString(dir.resolve("assets/fonts/a.txt"), "a");
        out = Files.createDirectories(dir.resolve("out"));
    }

    private ModelArchiver.Model digits(List<Path> extras) {
        return new ModelArchiver.Model("digits", "1.0", model, "digits_preview", extras, Optional.of(config));
    }

    @Test
    void marHasTorchModelArchiversLayoutAndManifestByteForByte() throws Exception {
        Path mar = ModelArchiver.archive(
                digits(List.of(dir.resolve("index_to_name.json"), dir.resolve("assets"))),
                ArchiveFormat.MAR,
                out,
                false,
                NOW);

        assertEquals(out.resolve("digits.mar"), mar);
        try (ZipFile zip = new ZipFile(mar.toFile())) {
            List<String> names = Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .toList();
            // Files at the root under their own names, a folder's contents at the root too, and the
            // manifest last, as torch-model-archiver writes it; every entry deflated.
            assertEquals(
                    List.of(
                            "convnet_digits.pt",
                            "fonts/a.txt",
                            "index_to_name.json",
                            "model-config.yaml",
                            ArchiveManifest.PATH),
                    names);
            assertTrue(Collections.list(zip.entries()).stream().allMatch(e -> e.getMethod() == ZipEntry.DEFLATED));
            assertEquals(TORCH_MODEL_ARCHIVER_MANIFEST, read(zip, ArchiveManifest.PATH));
            assertArrayEquals(
                    new byte[] {1, 2, 3},
                    zip.getInputStream(zip.getEntry("convnet_digits.pt")).readAllBytes());
        }

        ModelArchive opened = ModelArchive.open(mar, dir.resolve("work"));
        assertEquals("digits_preview", opened.manifest().handler());
        assertEquals(Optional.of("model-config.yaml"), opened.manifest().configFile());
        assertEquals(3, opened.config().getInt("topk", 0));
    }

    @Test
    void textOutsidePrintableAsciiIsEscapedAsPythonsJsonDoes() {
        ArchiveManifest manifest = new ArchiveManifest(
                "caf\u00e9-\uD83D\uDE00",
                "v2",
                "m\"o\\d\n\u007f.pt",
                "h",
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        // repr(json.dumps(...)) of the same dictionary, from Python 3.11
        assertEquals(
                "{\n  \"createdOn\": \"23/11/2026 09:05:00\",\n  \"runtime\": \"python\",\n  \"model\": {\n"
                        + "    \"modelName\": \"caf\\u00e9-\\ud83d\\ude00\",\n    \"serializedFile\": \"m\\\"o\\\\d\\n\\u007f.pt\",\n"
                        + "    \"handler\": \"h\",\n    \"modelVersion\": \"v2\"\n  },\n  \"archiverVersion\": \"0.1.0\"\n}",
                new String(manifest.toJson("0.1.0", NOW), StandardCharsets.UTF_8));
    }

    @Test
    void bundleHoldsTheArchiveUnderItsServalModelFolder() throws Exception {
        Path jar = ModelArchiver.archive(digits(List.of()), ArchiveFormat.BUNDLE, out, false, NOW);

        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            assertEquals("model/", in.getManifest().getMainAttributes().getValue("Serval-Model"));
            assertEquals(
                    "serval.model.digits", in.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            assertEquals("1.0.0", in.getManifest().getMainAttributes().getValue("Bundle-Version"));
            List<String> names = new ArrayList<>();
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
            assertEquals(
                    List.of("model/convnet_digits.pt", "model/model-config.yaml", "model/" + ArchiveManifest.PATH),
                    names);
        }
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ModelArchiver.archive(
                        new ModelArchiver.Model("digits", "v2-beta", model, "h", List.of(), Optional.empty()),
                        ArchiveFormat.BUNDLE,
                        out,
                        true,
                        NOW));
        assertTrue(e.getMessage().contains("not a bundle version"), e.getMessage());
    }

    @Test
    void folderIsServedInPlaceAndReplacedOnlyWithForce() throws Exception {
        Path folder = ModelArchiver.archive(digits(List.of()), ArchiveFormat.FOLDER, out, false, NOW);

        assertEquals(TORCH_MODEL_ARCHIVER_MANIFEST, Files.readString(folder.resolve(ArchiveManifest.PATH)));
        assertEquals(folder, ModelArchive.open(folder, dir.resolve("work")).dir());
        IllegalArgumentException exists = assertThrows(
                IllegalArgumentException.class,
                () -> ModelArchiver.archive(digits(List.of()), ArchiveFormat.FOLDER, out, false, NOW));
        assertTrue(exists.getMessage().contains("already exists; use --force"), exists.getMessage());

        Files.writeString(folder.resolve("stale.txt"), "from before");
        ModelArchiver.archive(digits(List.of()), ArchiveFormat.FOLDER, out, true, NOW);
        assertTrue(Files.notExists(folder.resolve("stale.txt")));
    }

    @Test
    void badInputIsRefusedSayingWhatToFix() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "handler: [unclosed\n");
        Files.createDirectories(dir.resolve("other"));
        Path clash = Files.write(dir.resolve("other/convnet_digits.pt"), new byte[] {9});
        List<ModelArchiver.Model> bad = List.of(
                new ModelArchiver.Model("../digits", "1.0", model, "h", List.of(), Optional.empty()),
                new ModelArchiver.Model("digits", "1.0", model, "handler.py", List.of(), Optional.empty()),
                new ModelArchiver.Model("digits", "1.0", dir.resolve("missing.pt"), "h", List.of(), Optional.empty()),
                new ModelArchiver.Model("digits", "1.0", model, "h", List.of(), Optional.of(dir.resolve("bad.yaml"))),
                new ModelArchiver.Model("digits", "1.0", model, "h", List.of(clash), Optional.empty()));
        List<String> expected = List.of(
                "--model-name '../digits' must match",
                "--handler 'handler.py' must be a handler's name",
                "--serialized-file: file does not exist",
                "--config-file " + dir.resolve("bad.yaml") + " is not a YAML mapping",
                "Two files would be stored as 'convnet_digits.pt'");
        for (int i = 0; i < bad.size(); i++) {
            ModelArchiver.Model m = bad.get(i);
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ModelArchiver.archive(m, ArchiveFormat.MAR, out, false, NOW));
            assertTrue(e.getMessage().startsWith(expected.get(i)), e.getMessage());
        }
        try (var files = Files.list(out)) {
            assertEquals(List.of(), files.toList(), "nothing written for bad input");
        }
    }

    private static String read(ZipFile zip, String name) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
