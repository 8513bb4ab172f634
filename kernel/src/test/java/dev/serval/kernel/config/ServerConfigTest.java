package dev.serval.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    private static final ServerConfig BASE = new ServerConfig(
            new Address("127.0.0.1", 8080),
            new Address("127.0.0.1", 8081),
            new Address("127.0.0.1", 8082),
            Path.of("/base/store"),
            List.of(),
            Path.of("/base/deploy"),
            Path.of("/base/home"),
            Path.of("/base/work"),
            Path.of("/base/cache"));

    @TempDir
    Path tmp;

    private ServerConfig load(String properties) throws IOException {
        Path file = Files.writeString(tmp.resolve("config.properties"), properties);
        return ServerConfig.withProperties(file, BASE);
    }

    @Test
    void readsInferenceAddress() throws IOException {
        ServerConfig config = load("inference_address=http://0.0.0.0:9090\n");

        assertEquals(new Address("0.0.0.0", 9090), config.inferenceAddress());
    }

    @Test
    void resolvesRelativeModelStoreAgainstTheFilesFolder() throws IOException {
        ServerConfig config = load("model_store=store\n");

        assertEquals(tmp.toAbsolutePath().resolve("store"), config.modelStore());
    }

    @Test
    void keepsAbsoluteModelStore() throws IOException {
        Path store = tmp.resolve("elsewhere").toAbsolutePath();

        ServerConfig config = load("model_store=" + store.toString().replace("\\", "/") + "\n");

        assertEquals(store, config.modelStore());
    }

    @Test
    void readsLoadModelsList() throws IOException {
        ServerConfig config = load("load_models=a.mar, b=b.mar\n");

        assertEquals(List.of("a.mar", "b=b.mar"), config.loadModels());
    }

    @Test
    void ignoresUnknownKeysAndKeepsTheBase() throws IOException {
        ServerConfig config = load("foo=bar\n");

        assertEquals(BASE, config);
    }

    @Test
    void appliesAllKnownKeysTogetherLeavingOthersFromTheBase() throws IOException {
        ServerConfig config = load("""
                inference_address=http://0.0.0.0:9090
                model_store=store
                load_models=a.mar, b=b.mar
                foo=bar
                """);

        assertEquals(new Address("0.0.0.0", 9090), config.inferenceAddress());
        assertEquals(tmp.toAbsolutePath().resolve("store"), config.modelStore());
        assertEquals(List.of("a.mar", "b=b.mar"), config.loadModels());
        assertEquals(BASE.managementAddress(), config.managementAddress());
        assertEquals(BASE.workDir(), config.workDir());
    }

    @Test
    void splitListAcceptsCommasAndSpaces() {
        assertEquals(List.of("a", "b", "c"), ServerConfig.splitList("a, b c"));
    }

    @Test
    void splitListDropsBlanks() {
        assertEquals(List.of("a", "b"), ServerConfig.splitList(" a,,b, "));
    }
}
