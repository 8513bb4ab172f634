package dev.serval.kernel.config;

/**
 * TorchServe's gRPC listeners: its {@code inference.proto} on one address, its
 * {@code management.proto} on another, both on loopback unless configured otherwise.
 *
 * @param enabled whether they are started ({@code enable_grpc}, Serval's own key: on by default,
 *     as TorchServe always starts them)
 * @param inference {@code grpc_inference_address} and {@code grpc_inference_port}
 *     (127.0.0.1:7070); port 0 for any free one
 * @param management {@code grpc_management_address} and {@code grpc_management_port}
 *     (127.0.0.1:7071)
 * @param tls {@code enable_grpc_ssl}: whether both serve TLS, with the {@code keystore} of the
 *     {@code https://} listeners
 */
public record GrpcSettings(boolean enabled, Address inference, Address management, boolean tls) {}
