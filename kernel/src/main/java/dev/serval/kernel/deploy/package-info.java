/**
 * Where models come from: the model store, the deploy folder's archives, model bundles, and the
 * register call's {@code allowed_urls}.
 */
package dev.serval.kernel.deploy;
