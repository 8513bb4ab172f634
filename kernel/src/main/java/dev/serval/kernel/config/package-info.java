/**
 * The server's settings, resolved once at start from defaults, TorchServe's
 * {@code config.properties}, the command line and the environment: listeners' addresses, TLS,
 * CORS, gRPC, logging, the models to load and their serving settings.
 */
package dev.serval.kernel.config;
