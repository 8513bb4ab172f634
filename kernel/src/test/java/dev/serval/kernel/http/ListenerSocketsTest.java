package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerSocketsTest {

    @TempDir
    Path dir;

    private ServerConfig config(int inference, int metrics) throws IOException {
        Path file = Files.writeString(
                dir.resolve("config.properties"),
                String.join(
                        "\n",
                        "inference_address=http://127.0.0.1:" + inference,
                        "management_address=http://127.0.0.1:0",
                        "metrics_address=http://127.0.0.1:" + metrics,
                        ""));
        return ServerConfig.defaults(dir).properties(file).build();
    }

    @Test
    void aPortInUseIsOneLineNamingItsKeyAndLeavesNoSocketBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int inference = free.getLocalPort();
            free.close();

            IOException e = assertThrows(
                    IOException.class, () -> ListenerSockets.bind(config(inference, taken.getLocalPort())));

            assertTrue(
                    e.getMessage()
                            .startsWith("metrics_address http://127.0.0.1:" + taken.getLocalPort()
                                    + " cannot be listened on: "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            // the inference socket bound before the failure was closed again
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("127.0.0.1", inference));
            }
        }
    }

    @Test
    void bindsTheThreeAddresses() throws Exception {
        try (ListenerSockets sockets = ListenerSockets.bind(config(0, 0))) {
            assertTrue(sockets.inference().socket().getLocalPort() > 0);
            assertTrue(sockets.management().isOpen() && sockets.metrics().isOpen());
        }
    }
}
