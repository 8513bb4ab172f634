/**
 * TorchServe's token authorization: the inference, management and token keys, their key file,
 * and what each listener asks of a request, over HTTP and gRPC alike.
 */
package dev.serval.kernel.auth;
