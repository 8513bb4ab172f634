/**
 * {@code serval archive}: torch-model-archiver's options and manifest, writing TorchServe's
 * {@code .mar}, a model bundle or a folder.
 */
package dev.serval.kernel.archive;
