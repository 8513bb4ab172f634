package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.sdk.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArchiveTest {

    private static final String MANIFEST = "MAR-INF/MANIFEST.json";

    @TempDir
    Path tmp;

    private static String manifest(String serializedFile) {
        return """
                {"runtime":"python","model":{"modelName":"m","serializedFile":"%s",\
                "handler":"image_classifier","modelVersion":"2.0"}}
                """.formatted(serializedFile);
    }

    private Path mar(Map<String, String> entries) throws IOException {
        return Zips.write(tmp.resolve("m.mar"), entries);
    }

    private Path extractRoot() {
        return tmp.resolve("work");
    }

    @Test
    void opensArchiveAndReadsManifestFields() throws Exception {
        Path mar = mar(Zips.entries(MANIFEST, manifest("m.pt"), "m.pt", "weights"));

        ModelArchive archive = ModelArchive.open(mar, extractRoot());

        assertEquals("m", archive.manifest().modelName());
        assertEquals("2.0", archive.manifest().modelVersion());
        assertEquals("m.pt", archive.manifest().serializedFile());
        assertEquals("image_classifier", archive.manifest().handler());
        assertEquals(Optional.of("python"), archive.manifest().runtime());
        assertEquals(Optional.empty(), archive.manifest().configFile());
        assertEquals(mar, archive.source());
    }

    @Test
    void extractsArchiveIntoAFolderUnderTheExtractRoot() throws Exception {
        Path mar = mar(Zips.entries(MANIFEST, manifest("m.pt"), "m.pt", "weights"));

        ModelArchive archive = ModelArchive.open(mar, extractRoot());

        assertEquals(extractRoot(), archive.dir().getParent());
        assertEquals("weights", Files.readString(archive.dir().resolve("m.pt")));
    }

    @Test
    void configIsEmptyWithoutModelConfigYaml() throws Exception {
        Path mar = mar(Zips.entries(MANIFEST, manifest("m.pt"), "m.pt", "weights"));

        ModelArchive archive = ModelArchive.open(mar, extractRoot());

        assertTrue(archive.config().asMap().isEmpty());
        assertEquals(5, archive.config().getInt("topk", 5));
    }

    @Test
    void readsHandlerSectionOfModelConfigYaml() throws Exception {
        Path mar = mar(Zips.entries(
                MANIFEST, manifest("m.pt"), "m.pt", "weights", "model-config.yaml", "handler: {topk: 3}\n"));

        ModelConfig config = ModelArchive.open(mar, extractRoot()).config();

        assertEquals(3, config.getInt("topk", 5));
    }

    @Test
    void missingManifestFailsNamingIt() throws IOException {
        Path mar = mar(Zips.entries("m.pt", "weights"));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertTrue(e.getMessage().contains("MANIFEST"), e.getMessage());
    }

    @Test
    void malformedManifestJsonFails() throws IOException {
        Path mar = mar(Zips.entries(MANIFEST, "{\"model\": {", "m.pt", "weights"));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertTrue(e.getMessage().startsWith("Malformed"), e.getMessage());
    }

    @Test
    void serializedFileAbsentFromArchiveFails() throws IOException {
        Path mar = mar(Zips.entries(MANIFEST, manifest("missing.pt"), "m.pt", "weights"));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertTrue(e.getMessage().contains("missing.pt"), e.getMessage());
    }

    @Test
    void serializedFileOutsideArchiveFails() throws IOException {
        Path mar = mar(Zips.entries(MANIFEST, manifest("../x.pt"), "m.pt", "weights"));
        // a file that "../x.pt" would reach from the extracted folder, so only the path check can refuse it
        Files.createDirectories(extractRoot());
        Files.writeString(extractRoot().resolve("x.pt"), "outside");

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertTrue(e.getMessage().contains("../x.pt"), e.getMessage());
    }

    @Test
    void manifestWithAnInvalidModelNameFailsAndLeavesNoFolderBehind() throws IOException {
        Path mar = mar(Zips.entries(
                MANIFEST,
                manifest("m.pt").replace("\"modelName\":\"m\"", "\"modelName\":\"../m\""),
                "m.pt",
                "weights"));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertTrue(e.getMessage().contains("model.modelName"), e.getMessage());
        assertEquals(List.of(), Zips.children(extractRoot()));
    }

    @Test
    void anInvalidNameGivenForAnArchiveFailsBeforeItIsExtracted() throws IOException {
        Path mar = mar(Zips.entries(MANIFEST, manifest("m.pt"), "m.pt", "weights"));
        try (Deadlines deadlines = new Deadlines()) {
            ModelLoader loader = new ModelLoader(extractRoot(), ServingSettings.DEFAULTS, Map.of(), deadlines);

            ModelLoadException e = assertThrows(
                    ModelLoadException.class, () -> loader.load(mar, LoadOptions.named(Optional.of(".hidden"))));

            assertTrue(e.getMessage().startsWith("Invalid model name"), e.getMessage());
        }
        assertFalse(Files.exists(extractRoot()));
    }

    @Test
    void failedOpenLeavesNoExtractedFolderBehind() throws IOException {
        Path mar = mar(Zips.entries(MANIFEST, manifest("missing.pt"), "m.pt", "weights"));

        assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertEquals(List.of(), Zips.children(extractRoot()));
    }

    @Test
    void archiveThatIsNotAZipFailsAndLeavesNoFolderBehind() throws IOException {
        Path mar = Files.writeString(tmp.resolve("broken.mar"), "not a zip");

        assertThrows(ModelLoadException.class, () -> ModelArchive.open(mar, extractRoot()));

        assertEquals(List.of(), Zips.children(extractRoot()));
    }

    @Test
    void missingArtifactFails() {
        Path absent = tmp.resolve("absent.mar");

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelArchive.open(absent, extractRoot()));

        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void opensModelFolderInPlace() throws Exception {
        Path folder = tmp.resolve("folder");
        Files.createDirectories(folder.resolve("MAR-INF"));
        Files.writeString(folder.resolve(MANIFEST), manifest("m.pt"));
        Files.writeString(folder.resolve("m.pt"), "weights");

        ModelArchive archive = ModelArchive.open(folder, extractRoot());

        assertEquals(folder, archive.dir());
        assertEquals("m", archive.manifest().modelName());
        assertFalse(Files.exists(extractRoot()));
    }

    @Test
    void isModelAcceptsMarAndZipByName() {
        assertTrue(ModelArchive.isModel(tmp.resolve("a.mar")));
        assertTrue(ModelArchive.isModel(tmp.resolve("a.zip")));
    }

    @Test
    void isModelRejectsOtherFileNames() {
        assertFalse(ModelArchive.isModel(tmp.resolve("notes.txt")));
    }

    @Test
    void isModelAcceptsFolderWithManifest() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("with/MAR-INF")).getParent();
        Files.writeString(folder.resolve(MANIFEST), manifest("m.pt"));

        assertTrue(ModelArchive.isModel(folder));
    }

    @Test
    void isModelRejectsFolderWithoutManifest() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("without.mar"));

        assertFalse(ModelArchive.isModel(folder));
    }

    @Test
    void aJarOfAModelFolderIsOneWithTheManifestAtItsRoot() throws IOException {
        assertTrue(ModelArchive.isJarOfModelFolder(
                Zips.write(tmp.resolve("model.jar"), Map.of(MANIFEST, manifest("m.pt")))));
        assertFalse(ModelArchive.isJarOfModelFolder(
                Zips.write(tmp.resolve("nested.jar"), Map.of("inner/" + MANIFEST, manifest("m.pt")))));
    }

    @Test
    void aFileThatIsNoZipIsNoJarOfAModelFolder() throws IOException {
        assertFalse(ModelArchive.isJarOfModelFolder(Files.writeString(tmp.resolve("broken.jar"), "not a zip")));
        assertFalse(ModelArchive.isJarOfModelFolder(tmp.resolve("missing.jar")));
    }
}
