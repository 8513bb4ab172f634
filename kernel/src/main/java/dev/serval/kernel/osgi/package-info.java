/**
 * The embedded Apache Felix framework: the server's bundles, FileInstall on the deploy folder, the
 * host packages bundles import, and the {@code Handler} services bound to model versions as
 * handler bundles come and go.
 */
package dev.serval.kernel.osgi;
