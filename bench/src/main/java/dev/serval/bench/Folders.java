package dev.serval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clears what an earlier run left, so that a server starts from empty work and deploy folders. */
final class Folders {

    private Folders() {}

    /**
     * @param dir a folder to delete with everything in it; nothing happens when it does not exist
     * @throws IOException when something in it cannot be deleted
     */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
