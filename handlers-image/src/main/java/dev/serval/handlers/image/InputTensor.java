package dev.serval.handlers.image;

import ai.djl.ndarray.types.Shape;

/**
 * One request's input to the model, without the batch dimension.
 *
 * @param data float32 values, row-major
 * @param shape their shape, {@code C×H×W} for images
 */
record InputTensor(float[] data, Shape shape) {}
