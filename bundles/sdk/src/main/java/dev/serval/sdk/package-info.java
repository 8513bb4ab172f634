/**
 * The Serval handler SDK: everything a handler author compiles against.
 *
 * <p>A handler turns a batch of {@link dev.serval.sdk.Request requests} into one
 * {@link dev.serval.sdk.Response response} each. It is an OSGi service registered with the
 * {@value dev.serval.sdk.Handler#NAME} property; model archives name it in their manifest. Most
 * handlers extend {@link dev.serval.sdk.ModelHandler}, which splits the work into TorchServe's
 * preprocess, inference and postprocess steps. A handler that also implements
 * {@link dev.serval.sdk.Describable} adds its own data to the management API's describe. A handler
 * may send a request intermediate answers before its final one through the request's
 * {@link dev.serval.sdk.ResponseStream}.
 *
 * <p>The package carries no HTTP type: a handler runs the same behind REST, in a unit test or in a
 * benchmark.
 */
@Export
@Version("1.3.0")
package dev.serval.sdk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
