/**
 * Services the kernel offers to framework bundles that plug into it, and the rule they share with
 * it for builds of one bundle (not to handlers: they use
 * {@code dev.serval.sdk}). The kernel exports this package through the system bundle.
 */
@Export
@Version("2.3.0")
package dev.serval.kernel.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
