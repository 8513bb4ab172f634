/**
 * The Felix Gogo shell's {@code serval:*} model management commands, the console's {@code exit},
 * and {@code serval shell}'s session with a running server.
 */
package dev.serval.kernel.shell;
