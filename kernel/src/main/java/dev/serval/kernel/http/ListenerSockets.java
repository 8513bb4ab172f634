package dev.serval.kernel.http;

import dev.serval.kernel.config.Address;
import dev.serval.kernel.config.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listeners' ports, bound first thing at start, before anything is written to the work folder
 * or any model is loaded: a port in use then ends the start in a line naming its key, leaving
 * the server that has it untouched. Connections that arrive while the models load wait in the
 * socket's backlog and are answered once the listeners start. When the inference and management
 * addresses are one ({@link ServerConfig#sharedListener()}), they are one socket, as TorchServe
 * serves both APIs on one listener then.
 *
 * @param inference the inference address's socket
 * @param management the management address's socket: the inference one when they share it
 * @param metrics the metrics address's socket
 */
public record ListenerSockets(
        ServerSocketChannel inference, ServerSocketChannel management, ServerSocketChannel metrics)
        implements AutoCloseable {

    /**
     * Connections the kernel holds for the acceptor: a thousand clients connecting at once, or
     * while the models load, wait here. With Java's default of 50 the kernel dropped the
     * handshakes past it (wrk opening 1000 connections: 3378 ListenOverflows), each client trying
     * again after 1 s, then 3 s. The kernel caps it at {@code net.core.somaxconn} (4096 since
     * Linux 5.4, 128 before).
     */
    private static final int ACCEPT_BACKLOG = 4096;

    /**
     * @param config the three addresses
     * @return their sockets, bound
     * @throws IOException when one cannot be bound, naming its key; none is left bound then
     */
    public static ListenerSockets bind(ServerConfig config) throws IOException {
        List<ServerSocketChannel> bound = new ArrayList<>();
        try {
            bound.add(bind("inference_address", config.inferenceAddress()));
            bound.add(config.sharedListener() ? bound.get(0) : bind("management_address", config.managementAddress()));
            bound.add(bind("metrics_address", config.metricsAddress()));
        } catch (IOException e) {
            // Closing a shared socket twice does nothing the second time.
            for (ServerSocketChannel socket : bound) {
                socket.close();
            }
            throw e;
        }
        return new ListenerSockets(bound.get(0), bound.get(1), bound.get(2));
    }

    private static ServerSocketChannel bind(String key, Address address) throws IOException {
        InetSocketAddress local = new InetSocketAddress(address.host(), address.port());
        if (local.isUnresolved()) {
            throw new IOException(key + " " + address + ": unknown host " + address.host());
        }
        ServerSocketChannel socket = ServerSocketChannel.open();
        try {
            // As Jetty's own connector: a restart need not wait for the old connections' TIME_WAIT.
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socket.bind(local, ACCEPT_BACKLOG);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new IOException(key + " " + address + " cannot be listened on: " + e.getMessage(), e);
        }
    }

    /** Closes the sockets, for a start that fails before the listeners take them over. */
    @Override
    public void close() throws IOException {
        inference.close();
        management.close();
        metrics.close();
    }
}
