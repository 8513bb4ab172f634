/**
 * Runs a handler in a unit test the way the server runs it, without OSGi or HTTP.
 *
 * <p>{@link dev.serval.sdk.testkit.TestModel} loads a model folder or {@code .mar} as the server
 * does: its {@code MAR-INF/MANIFEST.json}, its {@code model-config.yaml}, the engine its file
 * type selects, DJL started offline with its native libraries in a cache folder.
 * {@link dev.serval.sdk.testkit.TestWorker} then plays one of the server's workers: one handler
 * instance, initialized once with its own context and predictor, fed batches of
 * {@link dev.serval.sdk.Request requests}.
 */
package dev.serval.sdk.testkit;
