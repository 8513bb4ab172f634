/**
 * The serving core: a model loaded and served in-process, with no OSGi, HTTP or metrics library.
 *
 * <p>{@link dev.serval.serving.ModelLoader} turns a {@code .mar} or model folder into a
 * {@link dev.serval.serving.LoadedModel} (archive, engine, weights) inside a
 * {@link dev.serval.serving.ModelVersion}, which admits requests into a bounded queue with their
 * deadlines and runs them, in batches, on workers that each hold one handler instance from a
 * {@link dev.serval.serving.HandlerSource}. The kernel adapts these to its OSGi handler services,
 * HTTP APIs and metrics; the SDK test kit uses them directly, and an application embedding a
 * model uses {@link dev.serval.serving.EmbeddedModel}, which puts them together.
 */
package dev.serval.serving;
