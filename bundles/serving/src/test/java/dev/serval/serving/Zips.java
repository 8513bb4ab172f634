package dev.serval.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helpers that write zip files and look at folders. */
final class Zips {

    private Zips() {}

    /** Writes a zip whose entries are the map's keys, in order, holding the values as UTF-8. */
    static Path write(Path zip, Map<String, String> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    /** @return an insertion-ordered map of the given name/content pairs */
    static Map<String, String> entries(String... namesAndContents) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            map.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return map;
    }

    /** @return the names of the folder's direct children */
    static java.util.List<String> children(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
