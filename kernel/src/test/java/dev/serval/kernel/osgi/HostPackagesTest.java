package dev.serval.kernel.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPackagesTest {

    @Test
    void plainMavenVersionIsKept() {
        assertEquals("0.35.1", HostPackages.osgiVersion("0.35.1"));
    }

    @Test
    void qualifiedVersionKeepsOnlyItsFirstThreeNumbers() {
        assertEquals("2.7.1", HostPackages.osgiVersion("2.7.1-0.35.1"));
    }

    @Test
    void snapshotQualifierIsDropped() {
        assertEquals("1.0", HostPackages.osgiVersion("1.0-SNAPSHOT"));
    }

    @Test
    void nullVersionGivesNull() {
        assertNull(HostPackages.osgiVersion(null));
    }

    @Test
    void versionWithoutLeadingNumberGivesNull() {
        assertNull(HostPackages.osgiVersion("abc"));
    }

    /** DJL's jars carry a Specification-Version and no Implementation-Version. */
    @Test
    void djlIsExportedAtItsJarsSpecificationVersion() {
        String version = ai.djl.Model.class.getPackage().getSpecificationVersion();
        List<String> djl = Arrays.stream(HostPackages.exportsOf(
                                List.of(ai.djl.Model.class, ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.class))
                        .split(","))
                .toList();

        assertTrue(djl.contains("ai.djl.ndarray;version=\"" + version + "\""), djl.toString());
        assertTrue(djl.contains("ai.djl.huggingface.tokenizers;version=\"" + version + "\""), djl.toString());
        assertTrue(djl.stream().allMatch(c -> c.endsWith(";version=\"" + version + "\"")), djl.toString());
    }

    @Test
    void bundleJarIsExportedAsItsExportPackageHeaderSays() {
        String exports = HostPackages.exportsOf(List.of(org.slf4j.Logger.class));
        List<String> clauses = Arrays.asList(exports.split(","));

        assertTrue(clauses.stream().anyMatch(c -> c.startsWith("org.slf4j;version=\"")), exports);
        assertTrue(clauses.stream().anyMatch(c -> c.startsWith("org.slf4j.spi;version=\"")), exports);
        assertFalse(exports.contains("uses:="), exports);
    }
}
