/**
 * TorchServe's model management without a transport: register, unregister, scale, set the
 * default version, list and describe, with its rules and messages; the server's health and its
 * config snapshot.
 */
package dev.serval.kernel.manage;
