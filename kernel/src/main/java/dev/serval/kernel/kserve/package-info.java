/**
 * KServe's protocols, whatever the transport: the Open Inference Protocol's requests, answers,
 * tensors and metadata (REST binding and gRPC alike), and the v1 protocol's predict.
 */
package dev.serval.kernel.kserve;
