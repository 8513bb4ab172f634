/**
 * The HTTP listeners (inference, management, metrics) on Javalin and Jetty: TorchServe's and
 * KServe's REST APIs, the shell's WebSocket, the web console, and what every listener does to
 * every request (host and origin checks, keys, request ids, body limits, access log, TorchServe's
 * error JSON, graceful stop).
 */
package dev.serval.kernel.http;
