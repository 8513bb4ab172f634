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

    @Test
    void bundleJarIsExportedAsItsExportPackageHeaderSays() {
        String exports = HostPackages.exportsOf(List.of(org.slf4j.Logger.class));
        List<String> clauses = Arrays.asList(exports.split(","));

        assertTrue(clauses.stream().anyMatch(c -> c.startsWith("org.slf4j;version=\"")), exports);
        assertTrue(clauses.stream().anyMatch(c -> c.startsWith("org.slf4j.spi;version=\"")), exports);
        assertFalse(exports.contains("uses:="), exports);
    }
}
