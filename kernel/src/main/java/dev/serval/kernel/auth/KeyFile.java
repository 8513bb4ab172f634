package dev.serval.kernel.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serval.kernel.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * TorchServe's {@code key_file.json}: the keys, readable by the server's user only. Written to a
 * temporary file created with those permissions and moved into place ({@link AtomicFile}), so that
 * the keys are never readable by others, not even for a moment, and readers never see half a file.
 */
final class KeyFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;

    KeyFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    Path path() {
        return path;
    }

    void write(Map<String, Object> content) throws IOException {
        AtomicFile.write(
                path,
                JSON.writeValueAsBytes(content),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    String read(String name) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("No key file at " + path + ": is a server with token authorization running there?");
        }
        String key = JSON.readTree(path.toFile()).path(name).path("key").asText();
        if (key.isEmpty()) {
            throw new IOException("No " + name + " key in " + path);
        }
        return key;
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }
}
