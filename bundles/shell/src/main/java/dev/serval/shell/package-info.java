/**
 * The Felix Gogo shell as the kernel's {@code CommandShell} service, as a framework bundle: the
 * console's and {@code serval shell}'s sessions run in Gogo.
 */
package dev.serval.shell;
