/**
 * TorchServe's gRPC APIs ({@code inference.proto}, {@code management.proto}), KServe's Open
 * Inference Protocol and gRPC's health service, with the REST APIs' rules, keys and status codes.
 */
package dev.serval.kernel.grpc;
