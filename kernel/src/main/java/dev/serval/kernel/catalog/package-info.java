/**
 * What the server serves: model versions by name and version with the source each came from, the
 * default version of each name, and the rollout that replaces a version without a failed request.
 */
package dev.serval.kernel.catalog;
