/**
 * The deploy folder's watchers, as a framework bundle: Felix FileInstall's jar watcher installing
 * one build per handler bundle, and a watcher of its own handing model archives and folders
 * to the kernel's {@code ModelDeployer} service.
 */
package dev.serval.deployer;
