package dev.serval.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the server's settings come from: TorchServe's flags and variables for the config file, address flags. */
class ServerOptionsTest {

    @TempDir
    Path dir;

    private static <T> T parse(T options, String... args) {
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void addressFlagsNeedNoConfigFile() throws Exception {
        ServerConfig config = parse(
                        new ServerOptions(),
                        "--inference-address",
                        "http://0.0.0.0:9080",
                        "--management-address",
                        "127.0.0.1:9081",
                        "--metrics-address",
                        "http://127.0.0.1:9082")
                .config();

        assertEquals(new Address("0.0.0.0", 9080), config.inferenceAddress());
        assertEquals(new Address("127.0.0.1", 9081), config.managementAddress());
        assertEquals(new Address("127.0.0.1", 9082), config.metricsAddress());
    }

    @Test
    void grpcAddressFlagsWinOverTheConfigFile() throws Exception {
        Path file = Files.writeString(
                dir.resolve("c.properties"), "grpc_inference_address=127.0.0.2\n" + "grpc_inference_port=7000\n");

        ServerConfig config = parse(
                        new ServerOptions(),
                        "--ts-config",
                        file.toString(),
                        "--grpc-inference-address",
                        "0.0.0.0",
                        "--grpc-management-address",
                        "::1")
                .config();

        assertEquals(new Address("0.0.0.0", 7000), config.grpc().inference());
        assertEquals(new Address("::1", 7071), config.grpc().management());
    }

    @Test
    void addressFlagsWinOverTheConfigFile() throws Exception {
        Path file = Files.writeString(
                dir.resolve("c.properties"),
                "inference_address=http://127.0.0.1:1\n" + "metrics_address=http://127.0.0.1:3\n");

        ServerConfig config = parse(
                        new ServerOptions(),
                        "--ts-config",
                        file.toString(),
                        "--inference-address",
                        "http://127.0.0.1:2")
                .config();

        assertEquals(new Address("127.0.0.1", 2), config.inferenceAddress());
        assertEquals(new Address("127.0.0.1", 3), config.metricsAddress());
    }

    @Test
    void aBadAddressFlagIsOneLineNamingIt() {
        assertEquals(
                "--metrics-address: Addresses are http:// or https://: ftp://127.0.0.1:1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> parse(new ServerOptions(), "--metrics-address", "ftp://127.0.0.1:1")
                                        .config())
                        .getMessage());
    }

    @Test
    void tsConfigFileNamesTheConfigFileOverTsConfigAsInTorchServe() throws Exception {
        Path flag = Files.writeString(dir.resolve("flag.properties"), "inference_address=http://127.0.0.1:1\n");
        Path variable = Files.writeString(dir.resolve("variable.properties"), "inference_address=http://127.0.0.1:2\n");
        ConfigLocation location = parse(new ConfigLocation(), "--ts-config", flag.toString());

        assertEquals(
                new Address("127.0.0.1", 1), location.config(Map.of()).build().inferenceAddress());
        assertEquals(
                new Address("127.0.0.1", 2),
                location.config(Map.of("TS_CONFIG_FILE", variable.toString()))
                        .build()
                        .inferenceAddress());
        assertEquals(
                new Address("127.0.0.1", 2),
                parse(new ConfigLocation())
                        .config(Map.of("TS_CONFIG_FILE", variable.toString()))
                        .build()
                        .inferenceAddress());
    }

    @Test
    void aConfigFileThatIsNotThereIsOneLineNamingWhereItWasNamed() {
        Path missing = dir.resolve("missing.properties");

        assertEquals(
                "TS_CONFIG_FILE " + missing + " is not a file",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> parse(new ConfigLocation()).config(Map.of("TS_CONFIG_FILE", missing.toString())))
                        .getMessage());
        assertEquals(
                "--config " + missing + " is not a file",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> parse(new ConfigLocation(), "--config", missing.toString())
                                        .config(Map.of()))
                        .getMessage());
    }
}
