/**
 * Files written so that a crash leaves either the old content or the new one, never a part.
 */
package dev.serval.kernel.io;
