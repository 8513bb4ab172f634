package dev.serval.kernel.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportHeaderTest {

    @Test
    void commasInsideQuotedUsesListDoNotSplitClauses() {
        Map<String, String> packages = ExportHeader.parse("a.b;uses:=\"c.d,e.f\";version=\"1.2\",g.h;version=\"3.0\"");

        assertEquals(Map.of("a.b", "1.2", "g.h", "3.0"), packages);
    }

    @Test
    void usesListPackagesAreNotExported() {
        Map<String, String> packages = ExportHeader.parse("a.b;uses:=\"c.d,e.f\";version=\"1.2\"");

        assertEquals(Map.of("a.b", "1.2"), packages);
    }

    @Test
    void severalPackagesInOneClauseShareItsVersion() {
        Map<String, String> packages = ExportHeader.parse("a;b;version=1");

        assertEquals(Map.of("a", "1", "b", "1"), packages);
    }

    @Test
    void unversionedPackageMapsToNull() {
        Map<String, String> packages = ExportHeader.parse("a.b,c.d;version=\"2\"");

        assertTrue(packages.containsKey("a.b"));
        assertNull(packages.get("a.b"));
        assertEquals("2", packages.get("c.d"));
    }

    @Test
    void versionWithoutQuotesIsRead() {
        assertEquals(Map.of("x.y", "4.5.6"), ExportHeader.parse("x.y;version=4.5.6"));
    }

    @Test
    void whitespaceAroundPartsIsTrimmed() {
        assertEquals(
                Map.of("a.b", "1.0", "c.d", "2.0"),
                ExportHeader.parse("a.b ; version = \"1.0\" , c.d;version=\"2.0\""));
    }

    @Test
    void otherAttributesAreDropped() {
        assertEquals(Map.of("a.b", "1.0"), ExportHeader.parse("a.b;mandatory:=\"x\";vendor=acme;version=\"1.0\""));
    }

    @Test
    void aPackageExportedTwiceKeepsItsHighestVersion() {
        // SLF4J 2.0's own header: the 1.7 clause comes last and must not win.
        assertEquals(
                Map.of("org.slf4j", "2.0.16"),
                ExportHeader.parse("org.slf4j;version=\"2.0.16\",org.slf4j;version=\"1.7.36\""));
        assertEquals(Map.of("a", "1.2"), ExportHeader.parse("a;version=1.0,a;version=1.2,a"));
    }
}
