package dev.serval.kernel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.serving.ServingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedUrlsTest {

    @TempDir
    Path dir;

    private Path allowed;
    private Path outside;
    private ModelStore store;

    @BeforeEach
    void setUp() throws Exception {
        allowed = Files.createDirectories(dir.resolve("allowed")).toRealPath();
        outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
        Files.writeString(allowed.resolve("good.mar"), "zip");
        Files.writeString(outside.resolve("evil.mar"), "zip");
        Files.createSymbolicLink(allowed.resolve("link.mar"), outside.resolve("evil.mar"));
        store = new ModelStore(
                Files.createDirectories(dir.resolve("store")),
                List.of(
                        Pattern.compile("file://" + Pattern.quote(allowed.toString()) + "/.*"),
                        Pattern.compile("https://models\\.example\\.com/.*")));
    }

    @Test
    void aFileUnderAnAllowedPatternIsTaken() {
        assertEquals(allowed.resolve("good.mar"), store.locate("file://" + allowed + "/good.mar"));
    }

    @Test
    void dotDotEncodedDotsAndLinksOutOfTheAllowedFolderAreRefused() {
        assertRefused("file://" + allowed + "/../outside/evil.mar", "does not match allowed_urls");
        assertRefused("file://" + allowed + "/%2e%2e/outside/evil.mar", "does not match allowed_urls");
        assertRefused("file://" + allowed + "/%2E%2E%2Foutside%2Fevil.mar", "does not match allowed_urls");
        assertRefused("file://" + allowed + "/link.mar", "its file file://" + outside + "/evil.mar");
        assertRefused("file://" + outside + "/evil.mar", "does not match allowed_urls");
    }

    @Test
    void onlyPlainLocalFileUrlsAreTaken() {
        assertRefused("file://otherhost" + allowed + "/good.mar", "only file:///path URLs");
        assertRefused("file://" + allowed + "/good.mar?x=1", "only file:///path URLs");
        assertRefused("file://" + allowed + "/good.mar#x", "only file:///path URLs");
        assertRefused("ftp://models.example.com/good.mar", "only file:///path URLs");
        assertRefused("jar:file://" + allowed + "/good.mar!/", "only file:///path URLs");
        assertRefused("file://" + allowed + "/good mar", "not a valid URL");
    }

    /** Nothing is downloaded, so no allowed URL can redirect to one that is not. */
    @Test
    void httpUrlsAreRefusedEvenWhenAllowed() {
        assertRefused("https://models.example.com/good.mar", "does not download");
        assertRefused("https://models.example.com.evil.net/good.mar", "does not match allowed_urls");
        assertRefused("HTTP://models.example.com/good.mar", "does not download");
    }

    @Test
    void withoutAllowedUrlsOnlyStoreNamesAreTaken() throws Exception {
        ModelStore plain = new ModelStore(dir.resolve("store"));
        Files.createDirectories(dir.resolve("store/m/MAR-INF"));
        Files.writeString(dir.resolve("store/m/MAR-INF/MANIFEST.json"), "{}");

        assertEquals(dir.resolve("store/m").toAbsolutePath().normalize(), plain.locate("m"));
        ServingException refused =
                assertThrows(ServingException.class, () -> plain.locate("file://" + allowed + "/good.mar"));
        assertEquals(400, refused.status());
        assertEquals(
                404,
                assertThrows(ServingException.class, () -> plain.locate("../outside/evil.mar"))
                        .status());
        assertEquals(
                404,
                assertThrows(ServingException.class, () -> plain.locate("%2e%2e%2fm"))
                        .status());
    }

    private void assertRefused(String url, String reason) {
        ServingException e = assertThrows(ServingException.class, () -> store.locate(url), url);
        assertEquals(400, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
