package dev.serval.kernel.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Version;

/**
 * Reads package names and versions out of an OSGi {@code Export-Package} header, dropping the
 * other directives: {@code uses:=} lists name packages the system bundle may not export.
 */
final class ExportHeader {

    private ExportHeader() {}

    /**
     * @param header e.g. {@code a.b;version="1.2";uses:="c.d,e.f",g.h;version=2}
     * @return package name to version ({@code null} when none is given)
     */
    static Map<String, String> parse(String header) {
        Map<String, String> packages = new TreeMap<>();
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            String version = null;
            List<String> names = new ArrayList<>();
            for (String part : parts) {
                String item = part.trim();
                int eq = item.indexOf('=');
                if (eq < 0) {
                    names.add(item);
                } else if (item.substring(0, eq).trim().equals("version")) {
                    version = item.substring(eq + 1).trim().replace("\"", "");
                }
            }
            for (String name : names) {
                packages.put(name, higher(packages.get(name), version));
            }
        }
        return packages;
    }

    /**
     * A jar may export a package at two versions (SLF4J 2 adds 1.7 for old importers); only one
     * can be kept, and the highest is the one bundles built against the jar import.
     */
    private static String higher(String a, String b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Version.parseVersion(a).compareTo(Version.parseVersion(b)) >= 0 ? a : b;
    }

    /** Splits on a separator outside double quotes. */
    private static List<String> split(String text, char separator) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                result.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            result.add(current.toString());
        }
        return result;
    }
}
