/**
 * An example handler bundle: {@code digits_preview}, and {@code mnist_handler} (TorchServe's MNIST
 * example handler ported), private to its bundle (nothing exported).
 */
package dev.serval.examples.digits;
